import { describe, expect, it } from 'vitest'
import { ErrorCodes } from '../errors.js'
import { validate } from './engine.js'
import { exampleFor } from './example.js'

describe('exampleFor', () => {
  it('prefers examples, default, const and enum', () => {
    expect(exampleFor({ type: 'string', examples: ['e'] })).toBe('e')
    expect(exampleFor({ type: 'integer', default: 7 })).toBe(7)
    expect(exampleFor({ const: 'c' })).toBe('c')
    expect(exampleFor({ enum: ['x', 'y'] })).toBe('x')
  })

  it('builds a valid instance from types, bounds, formats, required properties and local refs', () => {
    const schema = {
      type: 'object',
      required: ['id', 'at', 'qty', 'price', 'tags', 'child', 'name'],
      properties: {
        id: { type: 'string', format: 'uuid' },
        at: { type: 'string', format: 'date-time' },
        qty: { type: 'integer', exclusiveMinimum: 4 },
        price: { type: 'number', minimum: 0.5, multipleOf: 0.5 },
        tags: { type: 'array', items: { type: 'string' }, minItems: 2 },
        child: { $ref: '#/$defs/child' },
        name: { type: 'string', minLength: 10 },
        unused: { type: 'string' },
      },
      $defs: { child: { type: ['null', 'object'], required: ['x'], properties: { x: { type: 'boolean' } } } },
    }
    const value = exampleFor(schema)
    expect(validate(schema, value)).toEqual([])
    expect(value).not.toHaveProperty('unused')
  })

  it('refuses what it cannot build, asking for an example', () => {
    expect(() => exampleFor({ type: 'string', pattern: '^[A-Z]{3}$' })).toThrowError(
      expect.objectContaining({ code: ErrorCodes.EXAMPLE_UNAVAILABLE }),
    )
    expect(() => exampleFor({ type: 'integer', minimum: 5, maximum: 2 })).toThrowError(
      expect.objectContaining({ code: ErrorCodes.EXAMPLE_UNAVAILABLE }),
    )
  })
})

describe('exampleFor with allOf', () => {
  it("keeps the schema's own keywords beside allOf and unions required", () => {
    const schema = {
      type: 'object',
      properties: { a: { type: 'string' } },
      required: ['a'],
      allOf: [{ required: ['b'], properties: { b: { type: 'integer', minimum: 2 } } }],
    }
    const value = exampleFor(schema)
    expect(validate(schema, value)).toEqual([])
    expect(value).toEqual({ a: 'string', b: 2 })
  })
})
