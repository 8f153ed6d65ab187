import { describe, expect, it } from 'vitest'
import type { JsonSchema, JsonValue } from '../json/types.js'
import { validate } from '../schema/engine.js'
import { compileRules, javaDatePattern } from './pact-to-schema.js'
import type { InteropNote } from './types.js'

function compile(value: JsonValue, body: Record<string, unknown>): { schema: JsonSchema; notes: InteropNote[] } {
  const notes: InteropNote[] = []
  const schema = compileRules(value, body as never, notes, 'contents')
  return { schema, notes }
}
const ok = (schema: JsonSchema, v: unknown) => validate(schema, v).length === 0

describe('Pact matching rules → JSON Schema', () => {
  it('compares for equality where no rule applies, and lets objects carry unexpected keys', () => {
    const { schema } = compile({ kind: 'job', n: 1 }, {})
    expect(ok(schema, { kind: 'job', n: 1, extra: true })).toBe(true)
    expect(ok(schema, { kind: 'other', n: 1 })).toBe(false)
    expect(ok(schema, { kind: 'job' })).toBe(false)
  })

  it('a type rule on an object types its leaves (children inherit it)', () => {
    const { schema } = compile({ a: { b: 'x', c: 2 } }, { '$.a': { matchers: [{ match: 'type' }] } })
    expect(ok(schema, { a: { b: 'y', c: 3.5 } })).toBe(true)
    expect(ok(schema, { a: { b: 1, c: 3 } })).toBe(false)
  })

  it('eachLike (type with min/max) on arrays, regex, include, integer, decimal, boolean, null', () => {
    const { schema, notes } = compile(
      { items: [{ sku: 'A-1' }], note: 'hello world', n: 1, d: 1.5, b: true, z: null },
      {
        '$.items': { matchers: [{ match: 'type', min: 1, max: 3 }] },
        '$.items[*].sku': { matchers: [{ match: 'regex', regex: '^[A-Z]-\\d$' }] },
        '$.note': { matchers: [{ match: 'include', value: 'world' }] },
        '$.n': { matchers: [{ match: 'integer' }] },
        '$.d': { matchers: [{ match: 'decimal' }] },
        '$.b': { matchers: [{ match: 'boolean' }] },
        '$.z': { matchers: [{ match: 'null' }] },
      },
    )
    expect(ok(schema, { items: [{ sku: 'B-2' }, { sku: 'C-3' }], note: 'the world', n: 5, d: 2.25, b: false, z: null })).toBe(true)
    expect(ok(schema, { items: [], note: 'the world', n: 5, d: 2, b: false, z: null })).toBe(false)
    expect(ok(schema, { items: [{ sku: 'bad' }], note: 'the world', n: 5, d: 2, b: false, z: null })).toBe(false)
    expect(ok(schema, { items: [{ sku: 'B-2' }], note: 'planet', n: 5, d: 2, b: false, z: null })).toBe(false)
    expect(ok(schema, { items: [{ sku: 'B-2' }], note: 'world', n: 5.5, d: 2, b: false, z: null })).toBe(false)
    // A decimal point is text JSON.parse does not keep (1.0 is 1): any number passes, and the import says so.
    expect(notes).toEqual([
      {
        path: 'contents $.d',
        message: 'decimal: JSON Schema cannot ask for a decimal point (1.0 and 1 parse alike); any number is accepted',
      },
    ])
  })

  it('values / eachKey / eachValue on maps, arrayContains on arrays, OR combinations', () => {
    const { schema } = compile(
      { byId: { a1: { n: 1 } }, tags: { x: 'y' }, events: [{ type: 'a' }, { type: 'b', n: 2 }], id: 'x' },
      {
        '$.byId': { matchers: [{ match: 'values' }] },
        '$.tags': {
          matchers: [
            { match: 'eachKey', rules: [{ match: 'regex', regex: '^[a-z]+$' }] },
            { match: 'eachValue', rules: [{ match: 'type' }] },
          ],
        },
        '$.events': {
          matchers: [{ match: 'arrayContains', variants: [{ index: 1, rules: { '$.n': { matchers: [{ match: 'integer' }] } } }] }],
        },
        '$.id': { combine: 'OR', matchers: [{ match: 'regex', regex: '^x$' }, { match: 'integer' }] },
      },
    )
    const base = { byId: { zz: { n: 9 } }, tags: { abc: 'q' }, events: [{ type: 'b', n: 7 }], id: 3 }
    expect(ok(schema, base)).toBe(true)
    expect(ok(schema, { ...base, byId: { zz: { n: 'nine' } } })).toBe(false)
    expect(ok(schema, { ...base, tags: { ABC: 'q' } })).toBe(false)
    expect(ok(schema, { ...base, events: [{ type: 'a' }] })).toBe(false)
    expect(ok(schema, { ...base, id: 'y' })).toBe(false)
  })

  it('turns Pact date formats into anchored patterns', () => {
    const { schema } = compile(
      { at: '2024-01-15T10:30:00.000Z' },
      { '$.at': { matchers: [{ match: 'timestamp', format: "yyyy-MM-dd'T'HH:mm:ss.SSSX" }] } },
    )
    expect(ok(schema, { at: '2025-12-31T23:59:59.123+01:00' })).toBe(true)
    expect(ok(schema, { at: 'yesterday' })).toBe(false)
    expect(javaDatePattern('EEE, d MMM')).toBeUndefined()
  })

  it('reports what it cannot express with its path instead of dropping it', () => {
    const { schema, notes } = compile(
      { s: 'x', t: 'y' },
      { '$.s': { matchers: [{ match: 'contentType', value: 'image/png' }] }, nonsense: { matchers: [] } },
    )
    expect(ok(schema, { s: 'other', t: 'y' })).toBe(true)
    expect(notes.map((n) => n.path)).toEqual(['contents nonsense', 'contents $.s'])
  })
})
