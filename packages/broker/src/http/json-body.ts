/**
 * The JSON body parser: fastify's own (prototype-poisoning refused) behind two checks of our own, so that
 * nothing reaches a route that would crash it or be stored changed.
 * - Nesting depth is counted on the raw text before parsing: a 10 MB body of `[[[[…` would otherwise
 *   overflow the stack of every recursive walker behind the parser (ajv, canonical JSON, the store).
 * - After parsing, every value is checked for what JSON allows but the broker cannot keep unchanged:
 *   numbers beyond double range (JSON.parse makes `1e400` Infinity, which the store writes as null), NUL
 *   (PostgreSQL text and jsonb refuse it) and lone UTF-16 surrogates (not valid Unicode; PostgreSQL refuses).
 */
import type { FastifyInstance } from 'fastify'
import { BrokerError, BrokerErrorCodes } from '../errors.js'

/** Deepest nesting of arrays and objects a body may have. Contracts written by Treaty stay far below. */
export const MAX_BODY_DEPTH = 128

export function installJsonBodyParser(app: FastifyInstance): void {
  const parse = app.getDefaultJsonParser('error', 'error')
  app.removeContentTypeParser('application/json')
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
    const text = body as string
    try {
      assertDepth(text)
    } catch (err) {
      done(err as Error, undefined)
      return
    }
    parse(request, text, (err, value) => {
      if (err) return done(err, undefined)
      try {
        assertStorable(value, 'body')
      } catch (e) {
        return done(e as Error, undefined)
      }
      done(null, value)
    })
  })
}

/** Counts `[`/`{` nesting outside strings; linear in the text, no allocation. */
export function assertDepth(text: string, max = MAX_BODY_DEPTH): void {
  let depth = 0
  let inString = false
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i)
    if (inString) {
      if (c === 0x5c) i++
      else if (c === 0x22) inString = false
    } else if (c === 0x22) inString = true
    else if (c === 0x5b || c === 0x7b) {
      if (++depth > max) {
        throw new BrokerError(
          BrokerErrorCodes.LIMIT_EXCEEDED,
          `the body nests arrays and objects more than ${max} levels deep (limit: body depth ${max})`,
          {
            path: 'body',
          },
        )
      }
    } else if (c === 0x5d || c === 0x7d) depth--
  }
}

/** Throws TREATY_BROKER_BODY_UNSTORABLE_VALUE naming the first value (or key) that cannot be stored as sent. */
export function assertStorable(value: unknown, path: string): void {
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw unstorable(path, 'is a number beyond the range of a double (it would be stored as null)')
  } else if (typeof value === 'string') {
    checkString(value, path, 'value')
  } else if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) assertStorable(value[i], `${path}[${i}]`)
  } else if (value !== null && typeof value === 'object') {
    for (const [key, v] of Object.entries(value)) {
      const at = /^[A-Za-z_$][\w$]*$/.test(key) ? `${path}.${key}` : `${path}[${JSON.stringify(key.slice(0, 40))}]`
      checkString(key, at, 'key')
      assertStorable(v, at)
    }
  }
}

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/

function checkString(s: string, path: string, what: 'key' | 'value'): void {
  if (s.includes('\u0000')) throw unstorable(path, `${what} contains a NUL character (\\u0000)`)
  if (LONE_SURROGATE.test(s)) throw unstorable(path, `${what} contains a lone UTF-16 surrogate (not valid Unicode)`)
}

function unstorable(path: string, what: string): BrokerError {
  return new BrokerError(BrokerErrorCodes.BODY_UNSTORABLE_VALUE, `${path} ${what}; send a value the broker can store unchanged`, { path })
}
