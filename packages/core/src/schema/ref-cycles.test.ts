import { describe, expect, it } from 'vitest'
import { isTreatyError } from '../errors.js'
import { assertValidSchema } from './engine.js'
import { nonProductiveRefCycle } from './ref-cycles.js'

describe('non-productive $ref cycles', () => {
  it('finds cycles that never descend into the value', () => {
    expect(nonProductiveRefCycle({ $ref: '#' })).toBe('#')
    expect(nonProductiveRefCycle({ $dynamicRef: '#' })).toBe('#')
    expect(
      nonProductiveRefCycle({ properties: { a: { items: [{ not: { $ref: '#/properties/a' } }], allOf: [{ $ref: '#/properties/a' }] } } }),
    ).toBe('#/properties/a')
    expect(
      nonProductiveRefCycle({ $defs: { a: { allOf: [{ $ref: '#/$defs/b' }] }, b: { anyOf: [{ $ref: '#/$defs/a' }] } }, $ref: '#/$defs/a' }),
    ).toMatch(/^#\/\$defs\/(a|b)/)
  })

  it('accepts recursion through properties or items (a tree), and schemas without $ref', () => {
    const tree = { type: 'object', properties: { children: { type: 'array', items: { $ref: '#' } } } }
    expect(nonProductiveRefCycle(tree)).toBeUndefined()
    expect(nonProductiveRefCycle({ $defs: { n: { properties: { next: { $ref: '#/$defs/n' } } } }, $ref: '#/$defs/n' })).toBeUndefined()
    expect(nonProductiveRefCycle({ type: 'string' })).toBeUndefined()
  })

  it('assertValidSchema refuses such a cycle, and an unknown $schema, as TREATY_SCHEMA_INVALID', () => {
    for (const schema of [{ $ref: '#' }, { $schema: 'https://example.com/not-a-draft' }, { $schema: 5 }]) {
      let caught: unknown
      try {
        assertValidSchema(schema, 'payload.schema')
      } catch (err) {
        caught = err
      }
      expect(isTreatyError(caught, 'TREATY_SCHEMA_INVALID')).toBe(true)
    }
  })
})
