/** Reader number and string keywords against a writer facet. */
import { validate } from '../engine.js'
import { cannotProve, DifferenceKinds, difference, show } from './differences.js'
import { type Facet, isMultiple, numberFactsOf, stringFactsOf } from './facet.js'
import { matches, type SchemaObject } from './normalise.js'
import type { Difference } from './types.js'
import { formatType } from './values.js'
import { integerRange, type NumberFacts } from './writer.js'

/** ajv checks `multipleOf` in floating point; integer reasoning holds up to here. */
const EXACT_INTEGERS = 2 ** 53
/** ajv's `multipleOf` fails from here on (`parseInt` of exponent notation). */
const PRINTS_AS_INTEGER = 1e21

export function numberKeywords(f: Facet, reader: SchemaObject): Difference[] {
  const n = numberFactsOf(f.branch)
  const out: Difference[] = []
  for (const [keyword, exclusive] of [
    ['minimum', false],
    ['exclusiveMinimum', true],
  ] as const) {
    const bound = reader[keyword]
    if (typeof bound === 'number' && !lowerHolds(f, n, bound, exclusive)) {
      out.push(
        difference(
          DifferenceKinds.MINIMUM_INCREASED,
          '',
          `the reader requires numbers ${exclusive ? '>' : '>='} ${bound}; the writer allows ${lowerText(n, f.integerOnly)}`,
        ),
      )
    }
  }
  for (const [keyword, exclusive] of [
    ['maximum', false],
    ['exclusiveMaximum', true],
  ] as const) {
    const bound = reader[keyword]
    if (typeof bound === 'number' && !upperHolds(f, n, bound, exclusive)) {
      out.push(
        difference(
          DifferenceKinds.MAXIMUM_DECREASED,
          '',
          `the reader requires numbers ${exclusive ? '<' : '<='} ${bound}; the writer allows ${upperText(n, f.integerOnly)}`,
        ),
      )
    }
  }
  const m = reader.multipleOf
  if (typeof m === 'number') {
    const d = multipleOfDifference(f, n, m)
    if (d) out.push(d)
  }
  const format = reader.format
  if (typeof format === 'string' && formatType(format) === 'number') {
    const d = formatDifference(f, format)
    if (d) out.push(d)
  }
  return out
}

function lowerHolds(f: Facet, n: NumberFacts, bound: number, exclusive: boolean): boolean {
  if (f.values) return f.values.every((v) => (exclusive ? (v as number) > bound : (v as number) >= bound))
  if (n.lo === undefined) return false
  if (f.integerOnly) {
    const min = integerRange(n).min!
    return exclusive ? min > bound : min >= bound
  }
  return exclusive ? n.lo > bound || (n.lo === bound && n.loExclusive) : n.lo >= bound
}

function upperHolds(f: Facet, n: NumberFacts, bound: number, exclusive: boolean): boolean {
  if (f.values) return f.values.every((v) => (exclusive ? (v as number) < bound : (v as number) <= bound))
  if (n.hi === undefined) return false
  if (f.integerOnly) {
    const max = integerRange(n).max!
    return exclusive ? max < bound : max <= bound
  }
  return exclusive ? n.hi < bound || (n.hi === bound && n.hiExclusive) : n.hi <= bound
}

function lowerText(n: NumberFacts, integerOnly: boolean): string {
  if (n.lo === undefined) return 'any lower value'
  return integerOnly ? `${integerRange(n).min}` : `${n.loExclusive ? '>' : '>='} ${n.lo}`
}

function upperText(n: NumberFacts, integerOnly: boolean): string {
  if (n.hi === undefined) return 'any higher value'
  return integerOnly ? `${integerRange(n).max}` : `${n.hiExclusive ? '<' : '<='} ${n.hi}`
}

function multipleOfDifference(f: Facet, n: NumberFacts, m: number): Difference | undefined {
  if (f.values) {
    const bad = f.values.find((v) => !isMultiple(v as number, m))
    return bad === undefined
      ? undefined
      : difference(DifferenceKinds.MULTIPLE_OF_ADDED, '', `the reader requires multiples of ${m}; the writer may send ${bad}`)
  }
  // The same divisor means the same floating-point test.
  if (n.multipleOfs.includes(m)) return undefined
  const divides = n.multipleOfs.find((k) => Number.isInteger(k) && Number.isInteger(m) && m > 0 && k % m === 0)
  if (f.integerOnly) {
    const { min, max } = integerRange(n)
    if (m === 1 && min !== undefined && max !== undefined && min > -PRINTS_AS_INTEGER && max < PRINTS_AS_INTEGER) return undefined
    const exact = min !== undefined && max !== undefined && min >= -EXACT_INTEGERS && max <= EXACT_INTEGERS
    if (divides !== undefined && exact) return undefined
    if (divides !== undefined || m === 1) {
      return cannotProve(
        '',
        `the reader requires multiples of ${m}, which ajv checks in floating point; it follows from the writer's integers only within ±2^53 — give the writer minimum and maximum`,
      )
    }
  }
  if (powerOfTwoMultiple(n, m)) return undefined
  return difference(DifferenceKinds.MULTIPLE_OF_ADDED, '', `the reader requires multiples of ${m}; the writer does not guarantee them`)
}

/**
 * Dividing by a power of two is exact in floating point, so when the writer's divisor k and the
 * reader's m are both powers of two with k a multiple of m, x/m = (x/k)·(k/m) is an integer too, for
 * fractions as well (0.5 → 0.25); bounded so that x/m stays below where ajv's test breaks (1e21).
 */
function powerOfTwoMultiple(n: NumberFacts, m: number): boolean {
  const isPow2 = (v: number) => v > 0 && Number.isInteger(Math.log2(v))
  if (!isPow2(m) || n.lo === undefined || n.hi === undefined) return false
  if (Math.max(Math.abs(n.lo), Math.abs(n.hi)) / m >= PRINTS_AS_INTEGER) return false
  return n.multipleOfs.some((k) => isPow2(k) && k >= m)
}

export function stringKeywords(f: Facet, reader: SchemaObject): Difference[] {
  const s = stringFactsOf(f.branch)
  const values = f.values as string[] | undefined
  const out: Difference[] = []
  const lengths = values?.map((v) => [...v].length)
  const minLength = reader.minLength
  if (typeof minLength === 'number') {
    const least = lengths ? Math.min(...lengths) : s.minLength
    if (least < minLength) {
      out.push(
        difference(
          DifferenceKinds.MIN_LENGTH_INCREASED,
          '',
          `the reader requires at least ${minLength} characters; the writer allows strings of ${least}`,
        ),
      )
    }
  }
  const maxLength = reader.maxLength
  if (typeof maxLength === 'number') {
    const most = lengths ? Math.max(...lengths) : s.maxLength
    if (most > maxLength) {
      const allowed = most === Number.POSITIVE_INFINITY ? 'any length' : `${most}`
      out.push(
        difference(
          DifferenceKinds.MAX_LENGTH_DECREASED,
          '',
          `the reader accepts at most ${maxLength} characters; the writer allows ${allowed}`,
        ),
      )
    }
  }
  const pattern = reader.pattern
  if (typeof pattern === 'string') {
    const d = patternDifference(s.patterns, s.formats, values, pattern)
    if (d) out.push(d)
  }
  const format = reader.format
  if (typeof format === 'string' && formatType(format) !== 'number') {
    const d = values ? formatOfValues(values, format) : formatDifference(f, format)
    if (d) out.push(d)
  }
  return out
}

/** Patterns that every string matches (`test` searches, so a pattern matching "" anywhere does). */
const UNIVERSAL_PATTERNS = new Set(['', '.*', '^.*', '.*$', '[\\s\\S]*', '^[\\s\\S]*', '^[\\s\\S]*$'])

function patternDifference(patterns: string[], formats: string[], values: string[] | undefined, pattern: string): Difference | undefined {
  if (values) {
    const bad = values.find((v) => matches(pattern, v) !== true)
    return bad === undefined
      ? undefined
      : difference(DifferenceKinds.PATTERN_ADDED, '', `the reader requires strings matching /${pattern}/; the writer may send ${show(bad)}`)
  }
  if (patterns.includes(pattern) || UNIVERSAL_PATTERNS.has(pattern)) return undefined
  if (patterns.length > 0 || formats.length > 0) {
    const what = patterns.length > 0 ? `/${patterns.join('/ and /')}/` : `format "${formats[0]}"`
    return cannotProve(
      '',
      `strings matching ${what} (writer) all match /${pattern}/ (reader); regex containment is only decided for identical patterns`,
    )
  }
  return difference(DifferenceKinds.PATTERN_ADDED, '', `the reader requires strings matching /${pattern}/; the writer allows any string`)
}

function formatDifference(f: Facet, format: string): Difference | undefined {
  const { formats } = stringFactsOf(f.branch)
  if (formats.includes(format)) return undefined
  if (formatType(format) === undefined) return cannotProve('', `the reader's format "${format}" is unknown`)
  if (formats.length > 0) {
    return difference(
      DifferenceKinds.FORMAT_CHANGED,
      '',
      `the reader requires format "${format}"; the writer declares format "${formats.join('", "')}"`,
    )
  }
  return difference(DifferenceKinds.FORMAT_ADDED, '', `the reader requires format "${format}"; the writer declares no format`)
}

function formatOfValues(values: string[], format: string): Difference | undefined {
  if (formatType(format) === undefined) return cannotProve('', `the reader's format "${format}" is unknown`)
  const bad = values.find((v) => validate({ type: 'string', format }, v).length > 0)
  return bad === undefined
    ? undefined
    : difference(DifferenceKinds.FORMAT_ADDED, '', `the reader requires format "${format}"; the writer may send ${show(bad)}`)
}
