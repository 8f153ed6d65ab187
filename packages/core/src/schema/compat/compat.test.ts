import { describe, expect, it } from 'vitest'
import { ErrorCodes, isTreatyError } from '../../errors.js'
import type { JsonSchema } from '../../json/types.js'
import { checkCompatibility, type Difference, type DifferenceKind, DifferenceKinds } from './index.js'

const seen = new Set<DifferenceKind>()

function check(writer: JsonSchema, reader: JsonSchema): Difference[] {
  const result = checkCompatibility(writer, reader)
  expect(result.compatible).toBe(result.differences.length === 0)
  for (const d of result.differences) {
    seen.add(d.kind)
    if (d.kind === DifferenceKinds.CANNOT_PROVE) expect(d.message).toMatch(/^cannot prove: /)
  }
  return result.differences
}

const compatible = (writer: JsonSchema, reader: JsonSchema) => expect(check(writer, reader)).toEqual([])
const kinds = (writer: JsonSchema, reader: JsonSchema) => check(writer, reader).map((d) => d.kind)
const found = (writer: JsonSchema, reader: JsonSchema) => check(writer, reader).map((d) => [d.pointer, d.kind])

describe('type', () => {
  it('accepts a writer whose types the reader widens, including null via a type array', () => {
    compatible({ type: 'string' }, { type: ['string', 'null'] })
    compatible({ type: 'integer' }, { type: 'number' })
    compatible({ type: 'string', nullable: true }, { type: ['null', 'string'] })
  })

  it('reports TYPE_NARROWED when the reader drops a type, with one sentence per location', () => {
    expect(found({ type: ['string', 'null'] }, { type: 'string' })).toEqual([['', 'TYPE_NARROWED']])
    expect(found({ type: 'number' }, { type: 'integer' })).toEqual([['', 'TYPE_NARROWED']])
    const [d] = check({}, { type: 'object' })
    expect(d?.message).toBe(
      'the writer allows null, boolean, number, string and array, which the reader does not accept (it accepts object)',
    )
  })

  it('sees integers in number schemas that only allow whole numbers', () => {
    compatible({ type: 'number', multipleOf: 1, minimum: 0, maximum: 10 }, { type: 'integer' })
    compatible({ type: 'number', minimum: 3, maximum: 3 }, { type: 'integer' })
  })
})

describe('enum and const', () => {
  it('accepts a writer whose values the reader lists', () => {
    compatible({ enum: ['a', 'b'] }, { enum: ['c', 'b', 'a'] })
    compatible({ const: 'a' }, { type: 'string', maxLength: 1 })
    compatible({ type: 'boolean' }, { enum: [true, false] })
    compatible({ type: 'integer', minimum: 1, maximum: 3 }, { enum: [1, 2, 3] })
  })

  it('reports each writer value the reader rejects as ENUM_VALUE_REMOVED', () => {
    const diffs = check(
      { type: 'object', properties: { size: { enum: ['A4', 'Letter', 'A3'] } } },
      {
        type: 'object',
        properties: { size: { enum: ['A4'] } },
      },
    )
    expect(diffs.map((d) => [d.pointer, d.kind])).toEqual([
      ['/size', 'ENUM_VALUE_REMOVED'],
      ['/size', 'ENUM_VALUE_REMOVED'],
    ])
    expect(diffs[0]?.message).toContain('"Letter"')
  })

  it('reports ENUM_ADDED when the reader lists values and the writer allows any', () => {
    expect(kinds({ type: 'string' }, { enum: ['a'] })).toEqual(['ENUM_ADDED'])
  })

  it('checks listed writer values against every reader keyword, exactly', () => {
    compatible({ enum: ['ab', 'abc'] }, { type: 'string', pattern: '^ab' })
    expect(kinds({ enum: ['ab', 'b'] }, { type: 'string', pattern: '^ab' })).toEqual(['PATTERN_ADDED'])
    expect(kinds({ enum: ['a', 'b'] }, { not: { const: 'b' } })).toEqual(['VALUE_REJECTED'])
  })
})

describe('objects', () => {
  const order = { type: 'object', properties: { id: { type: 'string' }, note: { type: 'string' } }, required: ['id'] }

  it('reports REQUIRED_PROPERTY_ADDED at the property', () => {
    expect(found(order, { ...order, required: ['id', 'note'] })).toEqual([['/note', 'REQUIRED_PROPERTY_ADDED']])
    compatible(order, { ...order, required: [] })
  })

  it('walks nested properties and names them in the pointer (escaped)', () => {
    const w = { type: 'object', properties: { 'a/b': { type: 'object', properties: { 'c~d': { type: 'number' } } } } }
    const r = { type: 'object', properties: { 'a/b': { type: 'object', properties: { 'c~d': { type: 'integer' } } } } }
    expect(found(w, r)).toEqual([['/a~1b/c~0d', 'TYPE_NARROWED']])
  })

  it('handles open, closed and partially open content models', () => {
    const closed = { ...order, additionalProperties: false }
    expect(found(order, closed)).toEqual([['/*', 'ADDITIONAL_PROPERTIES_NARROWED']])
    compatible(closed, order)
    compatible(closed, closed)
    compatible({ ...closed, properties: { id: { type: 'string' } } }, closed)
    expect(found(closed, { ...closed, properties: { id: { type: 'string' } } })).toEqual([['/note', 'ADDITIONAL_PROPERTIES_NARROWED']])
    const strings = { type: 'object', additionalProperties: { type: 'string' } }
    compatible(strings, { type: 'object', additionalProperties: { type: ['string', 'number'] } })
    expect(found({ type: 'object', additionalProperties: { type: ['string', 'number'] } }, strings)).toEqual([['/*', 'TYPE_NARROWED']])
    expect(found({ type: 'object', properties: { n: { type: 'number' } } }, strings)).toEqual([
      ['/n', 'TYPE_NARROWED'],
      ['/*', 'TYPE_NARROWED'],
    ])
  })

  it('reports PROPERTY_FORBIDDEN for a property the reader sets to false', () => {
    expect(found(order, { ...order, properties: { ...order.properties, note: false } })).toEqual([['/note', 'PROPERTY_FORBIDDEN']])
  })

  it('matches patternProperties by regex for named properties and by identical pattern for the rest', () => {
    const w = { type: 'object', patternProperties: { '^x-': { type: 'string' } }, additionalProperties: false }
    compatible(w, { type: 'object', patternProperties: { '^x-': { type: ['string', 'null'] } } })
    compatible(w, { type: 'object', additionalProperties: { type: 'string' } })
    compatible({ type: 'object', properties: { 'x-id': { const: 'a' } }, additionalProperties: false }, w)
    expect(kinds(w, { type: 'object', patternProperties: { '^x-': { type: 'string' }, '^y-': { type: 'number' } } })).toEqual([
      'CANNOT_PROVE',
    ])
  })

  it('compares property counts', () => {
    expect(kinds({ type: 'object' }, { type: 'object', minProperties: 1 })).toEqual(['MIN_PROPERTIES_INCREASED'])
    compatible({ type: 'object', required: ['a'] }, { type: 'object', minProperties: 1 })
    expect(kinds({ type: 'object' }, { type: 'object', maxProperties: 2 })).toEqual(['MAX_PROPERTIES_DECREASED'])
    compatible({ type: 'object', properties: { a: {}, b: {} }, additionalProperties: false }, { type: 'object', maxProperties: 2 })
  })
})

describe('arrays', () => {
  it('compares item schemas, positional items and counts', () => {
    compatible({ type: 'array', items: { type: 'integer' } }, { type: 'array', items: { type: 'number' } })
    expect(found({ type: 'array', items: { type: 'number' } }, { type: 'array', items: { type: 'integer' } })).toEqual([
      ['/*', 'TYPE_NARROWED'],
    ])
    const pair = { type: 'array', prefixItems: [{ type: 'string' }, { type: 'integer' }], items: false }
    compatible(pair, { type: 'array', prefixItems: [{ type: 'string' }], items: { type: 'number' } })
    expect(found({ type: 'array', prefixItems: [{ type: 'string' }, { type: 'string' }] }, pair)).toEqual([
      ['/1', 'TYPE_NARROWED'],
      ['', 'MAX_ITEMS_DECREASED'],
    ])
    expect(kinds({ type: 'array' }, { type: 'array', minItems: 1 })).toEqual(['MIN_ITEMS_INCREASED'])
    expect(kinds({ type: 'array', maxItems: 5 }, { type: 'array', maxItems: 3 })).toEqual(['MAX_ITEMS_DECREASED'])
  })

  it('requires uniqueness the way ajv checks it', () => {
    expect(kinds({ type: 'array' }, { type: 'array', uniqueItems: true })).toEqual(['UNIQUE_ITEMS_ADDED'])
    compatible({ type: 'array', items: { type: 'string' }, uniqueItems: true }, { type: 'array', uniqueItems: true })
    compatible({ type: 'array', maxItems: 1 }, { type: 'array', uniqueItems: true })
    // ajv only compares items of `items`' scalar type, skipping prefixItems of other types: [null, null] passes here.
    const shortcut = { type: 'array', prefixItems: [{ type: 'null' }], items: { type: 'string' }, uniqueItems: true }
    expect(kinds(shortcut, { ...shortcut, items: { anyOf: [{ type: 'string' }] } })).toEqual(['UNIQUE_ITEMS_ADDED'])
  })
})

describe('strings', () => {
  it('compares lengths', () => {
    expect(kinds({ type: 'string', maxLength: 10 }, { type: 'string', maxLength: 5 })).toEqual(['MAX_LENGTH_DECREASED'])
    expect(kinds({ type: 'string' }, { type: 'string', minLength: 1 })).toEqual(['MIN_LENGTH_INCREASED'])
    compatible({ type: 'string', minLength: 2, maxLength: 4 }, { type: 'string', minLength: 1, maxLength: 5 })
  })

  it('decides patterns only when identical, and says so otherwise', () => {
    compatible({ type: 'string', pattern: '^[a-z]+$' }, { type: 'string', pattern: '^[a-z]+$' })
    expect(kinds({ type: 'string' }, { type: 'string', pattern: '^a' })).toEqual(['PATTERN_ADDED'])
    const [d] = check({ type: 'string', pattern: '^ab' }, { type: 'string', pattern: '^a' })
    expect(d?.kind).toBe('CANNOT_PROVE')
    expect(d?.message).toMatch(/^cannot prove: .*regex containment/)
  })

  it('compares formats by name', () => {
    compatible({ type: 'string', format: 'uuid' }, { type: 'string', format: 'uuid' })
    expect(kinds({ type: 'string' }, { type: 'string', format: 'uuid' })).toEqual(['FORMAT_ADDED'])
    expect(kinds({ type: 'string', format: 'date' }, { type: 'string', format: 'date-time' })).toEqual(['FORMAT_CHANGED'])
    expect(kinds({ type: 'string' }, { type: 'string', format: 'no-such-format' })).toEqual(['CANNOT_PROVE'])
  })
})

describe('numbers', () => {
  it('compares inclusive and exclusive bounds, with integer rounding', () => {
    expect(kinds({ type: 'number', minimum: 0 }, { type: 'number', minimum: 1 })).toEqual(['MINIMUM_INCREASED'])
    expect(kinds({ type: 'number', minimum: 0 }, { type: 'number', exclusiveMinimum: 0 })).toEqual(['MINIMUM_INCREASED'])
    compatible({ type: 'number', exclusiveMinimum: 0 }, { type: 'number', minimum: 0 })
    compatible({ type: 'integer', exclusiveMinimum: 0 }, { type: 'integer', minimum: 1 })
    expect(kinds({ type: 'number', exclusiveMinimum: 0 }, { type: 'number', minimum: 1 })).toEqual(['MINIMUM_INCREASED'])
    expect(kinds({ type: 'integer' }, { type: 'integer', maximum: 9 })).toEqual(['MAXIMUM_DECREASED'])
    compatible({ type: 'integer', maximum: 9.5 }, { type: 'integer', exclusiveMaximum: 10 })
  })

  it("proves multipleOf only where ajv's floating-point check agrees", () => {
    compatible({ type: 'number', multipleOf: 0.5 }, { type: 'number', multipleOf: 0.5 })
    compatible({ type: 'integer', multipleOf: 10, minimum: 0, maximum: 1000 }, { type: 'integer', multipleOf: 5 })
    expect(kinds({ type: 'integer', multipleOf: 10 }, { type: 'integer', multipleOf: 5 })).toEqual(['CANNOT_PROVE'])
    expect(kinds({ type: 'integer' }, { type: 'integer', multipleOf: 2 })).toEqual(['MULTIPLE_OF_ADDED'])
  })
})

describe('combinators', () => {
  const a = { type: 'object', properties: { kind: { const: 'a' }, x: { type: 'string' } }, required: ['kind'] }
  const b = { type: 'object', properties: { kind: { const: 'b' }, y: { type: 'number' } }, required: ['kind'] }
  const c = { type: 'object', properties: { kind: { const: 'c' } }, required: ['kind'] }

  it('treats allOf as a conjunction on both sides', () => {
    compatible({ allOf: [{ type: 'string' }, { maxLength: 3 }] }, { type: 'string', maxLength: 5 })
    expect(kinds({ type: 'string' }, { allOf: [{ type: 'string' }, { maxLength: 3 }] })).toEqual(['MAX_LENGTH_DECREASED'])
  })

  it('checks each writer alternative and finds the reader alternative that takes it', () => {
    compatible({ anyOf: [{ type: 'string' }, { type: 'integer' }] }, { anyOf: [{ type: 'number' }, { type: 'string' }] })
    compatible({ oneOf: [a, b] }, { oneOf: [a, b, c] })
    expect(found({ oneOf: [a, b, c] }, { oneOf: [a, b] })).toEqual([['', 'NO_MATCHING_ALTERNATIVE']])
  })

  it('splits a writer on a listed discriminator to meet a reader union', () => {
    const either = { type: 'object', properties: { kind: { enum: ['a', 'b'] } }, required: ['kind'] }
    compatible(either, {
      oneOf: [
        { ...a, properties: { kind: { const: 'a' } } },
        { ...b, properties: { kind: { const: 'b' } } },
      ],
    })
  })

  it('reports what it cannot establish about unions as CANNOT_PROVE', () => {
    expect(kinds({ type: 'integer' }, { oneOf: [{ type: 'number' }, { type: 'integer' }] })).toEqual(['CANNOT_PROVE'])
    expect(
      kinds(
        { type: 'integer' },
        {
          anyOf: [
            { type: 'integer', minimum: 0 },
            { type: 'integer', maximum: 0 },
          ],
        },
      ),
    ).toEqual(['CANNOT_PROVE'])
  })

  it('uses not on both sides', () => {
    compatible({ type: 'string' }, { not: { type: 'null' } })
    compatible({ type: ['string', 'null'], not: { type: 'null' } }, { type: 'string' })
    compatible({ enum: ['a', 'b', 'c'], not: { const: 'c' } }, { enum: ['a', 'b'] })
    expect(kinds({ type: 'string' }, { not: { type: 'string', maxLength: 2 } })).toEqual(['CANNOT_PROVE'])
  })
})

describe('$ref and $defs', () => {
  const tree = (name: string, v: JsonSchema, required: string[]) => ({
    $defs: {
      [name]: { type: 'object', properties: { v, kids: { type: 'array', items: { $ref: `#/$defs/${name}` } } }, required },
    },
    $ref: `#/$defs/${name}`,
  })

  it('resolves local references in each document and decides recursive schemas coinductively', () => {
    compatible(tree('node', { type: 'integer' }, ['v']), tree('n', { type: 'number' }, []))
    expect(found(tree('n', { type: 'number' }, []), tree('node', { type: 'integer' }, ['v']))).toEqual([
      ['/v', 'REQUIRED_PROPERTY_ADDED'],
      ['/v', 'TYPE_NARROWED'],
      ['/kids/*/v', 'REQUIRED_PROPERTY_ADDED'],
      ['/kids/*/v', 'TYPE_NARROWED'],
    ])
  })

  it('cannot prove anything through a $ref that leaves the document', () => {
    const [d] = check({ type: 'string' }, { $ref: 'https://example.com/schema.json' })
    expect(d).toMatchObject({ kind: 'CANNOT_PROVE', pointer: '' })
    expect(d?.message).toContain('points outside the schema')
    expect(kinds({ $ref: 'other.json#/$defs/x' }, true)).toEqual(['CANNOT_PROVE'])
  })

  it('follows references written with the root $id', () => {
    compatible(
      { $id: 'https://example.com/s.json', $defs: { s: { type: 'string' } }, $ref: 'https://example.com/s.json#/$defs/s' },
      { type: 'string' },
    )
  })
})

describe('boolean schemas, annotations and keywords the engine does not model', () => {
  it('knows true and false', () => {
    compatible(false, { type: 'string' })
    compatible({ type: 'string' }, true)
    compatible(true, { title: 'anything' })
    expect(kinds({ type: 'string' }, false)).toEqual(['TYPE_NARROWED'])
  })

  it('ignores annotations', () => {
    const annotated = {
      $schema: 'https://json-schema.org/draft/2020-12/schema',
      $id: 'urn:x',
      title: 't',
      description: 'd',
      examples: ['x'],
      default: 'x',
      $comment: 'c',
      deprecated: true,
      readOnly: true,
      writeOnly: false,
      'x-owner': 'team',
      type: 'string',
    }
    compatible({ type: 'string' }, annotated)
    compatible(annotated, { type: 'string' })
  })

  it('cannot prove a reader keyword it does not know unless the writer states the same', () => {
    const [d] = check({ type: 'string' }, { type: 'string', 'custom-check': true })
    expect(d?.message).toBe(
      'cannot prove: the reader uses the unknown keyword "custom-check", which is not modelled, and the writer does not declare the same constraint',
    )
    compatible({ type: 'string', 'custom-check': true }, { type: 'string', 'custom-check': true })
    compatible({ type: 'string', 'custom-check': true }, { type: 'string' })
  })

  it('accepts an unmodelled keyword the writer repeats, never a sibling-dependent one', () => {
    // `then` spelled out of a literal: a `then` property makes an object look like a promise to linters.
    const conditional = Object.fromEntries([
      ['if', { properties: { a: { const: 1 } } }],
      ['then', { required: ['b'] }],
    ])
    compatible({ type: 'object', ...conditional }, { type: 'object', ...conditional, properties: { a: {} } })
    expect(kinds({ type: 'object' }, { type: 'object', ...conditional })).toEqual(['CANNOT_PROVE'])
    expect(kinds({ type: 'array' }, { type: 'array', contains: { type: 'string' } })).toEqual(['CANNOT_PROVE'])
    const sealed = { type: 'object', properties: { a: {} }, unevaluatedProperties: false }
    compatible(sealed, sealed)
    expect(kinds({ ...sealed, properties: { a: { type: 'string' } } }, sealed)).toEqual(['CANNOT_PROVE'])
  })

  it('cannot prove what ajv would not compile', () => {
    expect(kinds({ type: 'string' }, { anyOf: [true, { nullable: true }] })).toEqual(['CANNOT_PROVE'])
  })
})

describe('checkCompatibility', () => {
  it('throws TREATY_SCHEMA_INVALID for a schema that is not JSON Schema', () => {
    expect(() => checkCompatibility({ type: 'string' }, { type: 'strnig' })).toThrow(
      expect.objectContaining({ code: ErrorCodes.SCHEMA_INVALID }),
    )
    const thrown = (() => {
      try {
        checkCompatibility({ minLength: -1 }, true)
      } catch (e) {
        return e
      }
    })()
    expect(isTreatyError(thrown, ErrorCodes.SCHEMA_INVALID)).toBe(true)
  })

  it('is exercised on every difference kind by these tests', () => {
    expect([...seen].sort()).toEqual(Object.values(DifferenceKinds).sort())
  })
})
