import { describe, expect, it } from 'vitest'
import { ErrorCodes } from '../errors.js'
import { validate } from './engine.js'
import {
  boolean,
  compile,
  date,
  datetime,
  decimal,
  eachLike,
  integer,
  like,
  nullable,
  oneOf,
  optional,
  regex,
  string,
  uuid,
} from './matchers.js'

function accepts(template: unknown, value: unknown): boolean {
  return validate(compile(template).schema, value).length === 0
}

describe('matchers', () => {
  it('string accepts any string, bounded by length, with a default example', () => {
    const m = string('abc', { minLength: 2, maxLength: 4 })
    expect(m.schema).toEqual({ type: 'string', minLength: 2, maxLength: 4 })
    expect(m.example).toBe('abc')
    expect(accepts(m, 'zz')).toBe(true)
    expect(accepts(m, 'z')).toBe(false)
    expect(accepts(m, 1)).toBe(false)
    expect(string().example).toBe('string')
  })

  it('integer rejects fractions and honours bounds', () => {
    const m = integer(1, { minimum: 1, maximum: 10 })
    expect(m.schema).toEqual({ type: 'integer', minimum: 1, maximum: 10 })
    expect(accepts(m, 10)).toBe(true)
    expect(accepts(m, 1.5)).toBe(false)
    expect(accepts(m, 0)).toBe(false)
  })

  it('decimal accepts any number', () => {
    const m = decimal(2.5, { exclusiveMinimum: 0 })
    expect(m.schema).toEqual({ type: 'number', exclusiveMinimum: 0 })
    expect(accepts(m, 3)).toBe(true)
    expect(accepts(m, 0)).toBe(false)
  })

  it('boolean, uuid, datetime and date have formats and sensible default examples', () => {
    expect(boolean(false).example).toBe(false)
    expect(accepts(boolean(), 'true')).toBe(false)
    expect(accepts(uuid(), uuid().example)).toBe(true)
    expect(accepts(uuid(), 'not-a-uuid')).toBe(false)
    expect(accepts(datetime(), '2024-02-30T00:00:00Z')).toBe(false)
    expect(accepts(datetime(), '2024-02-03T04:05:06+01:00')).toBe(true)
    expect(accepts(date(), '2024-02-03')).toBe(true)
    expect(accepts(date(), '2024-02-03T00:00:00Z')).toBe(false)
  })

  it('regex compiles to a pattern and refuses flags JSON Schema cannot express', () => {
    const m = regex(/^INV-\d+$/, 'INV-42')
    expect(m.schema).toEqual({ type: 'string', pattern: '^INV-\\d+$' })
    expect(accepts(m, 'INV-x')).toBe(false)
    expect(() => regex(/a/i, 'a')).toThrowError(expect.objectContaining({ code: ErrorCodes.MATCHER_INVALID }))
  })

  it('oneOf is an enum whose example defaults to the first value', () => {
    const m = oneOf(['invoice', 'report'])
    expect(m.schema).toEqual({ enum: ['invoice', 'report'] })
    expect(m.example).toBe('invoice')
    expect(accepts(m, 'memo')).toBe(false)
  })

  it('nullable widens the type to include null', () => {
    expect(nullable(string('x')).schema).toEqual({ type: ['string', 'null'] })
    expect(nullable(oneOf(['a', 'b'])).schema).toEqual({ enum: ['a', 'b', null] })
    expect(accepts(nullable({ a: 1 }), null)).toBe(true)
    expect(accepts(nullable({ a: 1 }), { a: 1 })).toBe(true)
  })

  it('optional leaves the property out of required', () => {
    const c = compile({ a: string(), b: optional(integer()) })
    expect(c.schema).toEqual({ type: 'object', properties: { a: { type: 'string' }, b: { type: 'integer' } }, required: ['a'] })
    expect(c.example).toEqual({ a: 'string', b: 1 })
  })

  it('plain values match exactly; objects accept extra properties (tolerant reader)', () => {
    expect(accepts({ version: 2 }, { version: 2, extra: true })).toBe(true)
    expect(accepts({ version: 2 }, { version: 3 })).toBe(false)
    expect(accepts(['a', 1], ['a', 1])).toBe(true)
    expect(accepts(['a', 1], ['a', 1, 2])).toBe(false)
  })

  it('like matches by type, recursively, keeping nested matchers', () => {
    const m = like({ name: 'x', count: 3, tags: ['a'], at: datetime() })
    expect(accepts(m, { name: 'other', count: 9.5, tags: ['b', 'c'], at: '2025-01-01T00:00:00Z' })).toBe(true)
    expect(accepts(m, { name: 1, count: 9, tags: [], at: '2025-01-01T00:00:00Z' })).toBe(false)
    expect(accepts(m, { name: 'x', count: 3, tags: [], at: 'yesterday' })).toBe(false)
  })

  it('eachLike bounds the item count and builds an example of min (at least one) items', () => {
    const m = eachLike({ sku: string('A-1') }, { min: 2, max: 3 })
    expect(m.example).toEqual([{ sku: 'A-1' }, { sku: 'A-1' }])
    expect(accepts(m, [{ sku: 'a' }])).toBe(false)
    expect(accepts(m, [{ sku: 'a' }, { sku: 'b' }, { sku: 'c' }, { sku: 'd' }])).toBe(false)
    expect(eachLike(string(), { min: 0 }).example).toEqual(['string'])
  })

  it('rejects an example that contradicts its own matcher', () => {
    for (const make of [
      () => integer(0, { minimum: 1 }),
      () => string('', { minLength: 1 }),
      () => uuid('nope'),
      () => oneOf(['a'], 'b' as 'a'),
      () => regex('^a$', 'b'),
    ]) {
      expect(make).toThrowError(expect.objectContaining({ code: ErrorCodes.MATCHER_INVALID }))
    }
  })

  it('rejects contradictory options', () => {
    expect(() => integer(5, { minimum: 10, maximum: 1 })).toThrowError(expect.objectContaining({ code: ErrorCodes.MATCHER_INVALID }))
    expect(() => eachLike(1, { min: 3, max: 2 })).toThrowError(expect.objectContaining({ code: ErrorCodes.MATCHER_INVALID }))
    expect(() => compile({ f: () => 1 })).toThrowError(expect.objectContaining({ code: ErrorCodes.MATCHER_INVALID }))
  })
})

describe('validation issues', () => {
  it('report an anyOf once, without the noise of each branch', () => {
    const schema = { anyOf: [{ type: 'integer' }, { type: 'string', format: 'uuid' }] }
    const issues = validate(schema, 'x')
    expect(issues.map((i) => i.keyword)).toEqual(['anyOf'])
    expect(issues[0]?.expected).toBe('a value matching at least one of the alternatives')
  })
})

describe('JSON has no inherited properties', () => {
  it('treats `constructor` or `toString` as absent unless sent', () => {
    const schema = { type: 'object', properties: { constructor: { type: 'string' }, toString: { type: 'string' } } }
    expect(validate(schema, {})).toEqual([])
    expect(validate({ type: 'object', required: ['constructor'] }, {})).toHaveLength(1)
  })
})
