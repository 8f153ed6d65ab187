/**
 * Formats for every ajv instance of the engine (ajv-formats' full set), each remembering its last answer.
 *
 * Format and pattern tests are pure, and most of a validator's time on a valid message (bench/observe):
 * `date-time`, `uuid` and a `pattern` are about 2 µs of a 3 µs validation. The consumers of one channel read
 * the same fields with the same formats, so the guard and the observer test the same string once per consumer
 * (five times for five consumers). A test that remembers its last input answers the repeats with one `===`.
 * Only short inputs are remembered, so a test never keeps a large string alive or compares one.
 */
import { createRequire } from 'node:module'
import type { Ajv as AjvCore, Format } from 'ajv'
import type ajvFormats from 'ajv-formats'

const require = createRequire(import.meta.url)

/** Longest input a test remembers (a uuid is 36, a date-time about 30). */
const REMEMBERED = 256

/** `test`, answering a repeat of its last input (a string up to REMEMBERED, or a number) without running it. */
export function rememberLast<T extends string | number>(test: (value: T) => boolean): (value: T) => boolean {
  let last: T | undefined
  let answer = false
  return (value) => {
    if (value === last) return answer
    const result = test(value)
    if (typeof value === 'number' || value.length <= REMEMBERED) {
      last = value
      answer = result
    }
    return result
  }
}

/** A format definition's test and the type of value it tests; undefined for an asynchronous one. */
export function formatTestOf(format: Format): { test: (value: string | number) => boolean; type: 'string' | 'number' } | undefined {
  if (format instanceof RegExp) return { test: (s) => format.test(String(s)), type: 'string' }
  if (typeof format === 'function') return { test: format as (value: string | number) => boolean, type: 'string' }
  if (typeof format !== 'object' || format === null || format.async) return undefined
  const inner = formatTestOf(format.validate as Format)
  return inner && { test: inner.test, type: format.type ?? 'string' }
}

function remembered(format: Format): Format {
  const found = formatTestOf(format)
  if (!found) return format
  const test = rememberLast(found.test)
  return typeof format === 'object' && !(format instanceof RegExp) ? ({ ...format, validate: test } as Format) : (test as Format)
}

/**
 * ajv-formats' formats and keywords (`formatMaximum` …), with every format test remembering its last answer.
 * `plugin` is ajv-formats' own function (the engine passes the one from its build bundle); by default the package.
 */
export function addFormats(
  ajv: AjvCore,
  plugin: (typeof ajvFormats)['default'] = (require('ajv-formats') as typeof ajvFormats).default,
): void {
  plugin(ajv)
  for (const [name, format] of Object.entries(ajv.formats)) if (format !== undefined) ajv.addFormat(name, remembered(format as Format))
}
