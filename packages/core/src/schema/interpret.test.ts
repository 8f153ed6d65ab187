/**
 * interpret.ts answers without ajv only where it answers exactly as ajv: checked here against the engine on
 * generated schemas of the matcher vocabulary and on values built to sit near their edges. fast-check prints
 * the seed and path of any disagreement.
 */
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { ErrorCodes } from '../errors.js'
import type { JsonSchema, JsonValue } from '../json/types.js'
import { validate } from './engine.js'
import { conforms, interpreted } from './interpret.js'
import { eachLike, integer, like, nullable, oneOf, optional, regex, string, uuid } from './matchers.js'
import { variantsOf } from './variants.js'

const ajvSays = (schema: JsonSchema, value: unknown) => validate(schema, value).length === 0

const FORMATS = ['uuid', 'date-time', 'date', 'time', 'email', 'hostname', 'ipv4', 'uri', 'duration', 'regex', 'byte']
const PATTERNS = ['^[A-Z]-\\d+$', 'a', '^$', '^\\p{L}+$', '[😀]']
/** Strings near what the formats, patterns and lengths above tell apart. */
const edgeStrings = fc.constantFrom(
  '',
  'a',
  'A-1',
  '😀',
  '😀😀',
  '\uD83D',
  'x\uDE00',
  '7f0c2a4e-3b1d-4c5e-9f6a-8b7c6d5e4f3a',
  '7F0C2A4E-3B1D-4C5E-9F6A-8B7C6D5E4F3A',
  'urn:uuid:7f0c2a4e-3b1d-4c5e-9f6a-8b7c6d5e4f3a',
  '2024-01-15T10:30:00.000Z',
  '2024-01-15T10:30:00',
  '2024-02-30T10:30:00Z',
  '2024-02-29',
  '2023-02-29',
  '10:30:00Z',
  'user@example.com',
  'example.com',
  '192.0.2.1',
  'https://example.com/',
  'P1D',
  '(',
  'aGVsbG8=',
)
const edgeNumbers = fc.constantFrom(0, -0, 1, -1, 0.1, 0.3, 0.30000000000000004, 1.5, 2, 3, 7, 10, 1e21, 1e-7, -2.5, 2 ** 53, 99.99)

const simpleType = fc.constantFrom('string', 'number', 'integer', 'boolean', 'null', 'object', 'array')
const jsonValue: fc.Arbitrary<JsonValue> = fc.jsonValue({ maxDepth: 2 }) as fc.Arbitrary<JsonValue>
/** As messages arrive (parsed JSON: plain objects); `-0` kept, JSON cannot say it. */
const asParsed = (v: JsonValue): JsonValue => (Object.is(v, -0) ? v : (JSON.parse(JSON.stringify(v)) as JsonValue))
const smallJson: fc.Arbitrary<JsonValue> = fc.oneof(jsonValue.map(asParsed), edgeStrings, edgeNumbers, fc.constant(null), fc.boolean())

const stringSchema = fc.record(
  {
    type: fc.constant('string'),
    minLength: fc.nat(3),
    maxLength: fc.nat(4),
    format: fc.constantFrom(...FORMATS),
    pattern: fc.constantFrom(...PATTERNS),
  },
  { requiredKeys: [] },
)
const numberSchema = fc.record(
  {
    type: fc.constantFrom('number', 'integer', ['integer', 'null']),
    minimum: edgeNumbers,
    maximum: edgeNumbers,
    exclusiveMinimum: edgeNumbers,
    exclusiveMaximum: edgeNumbers,
    multipleOf: fc.constantFrom(1, 2, 0.5, 0.1, 0.01, 3),
  },
  { requiredKeys: [] },
)
const leafSchema: fc.Arbitrary<JsonSchema> = fc.oneof(
  fc.record({ type: fc.oneof(simpleType, fc.uniqueArray(simpleType, { minLength: 1, maxLength: 3 })) }),
  stringSchema as fc.Arbitrary<JsonSchema>,
  numberSchema as fc.Arbitrary<JsonSchema>,
  fc.record({ const: smallJson }) as fc.Arbitrary<JsonSchema>,
  fc.record({ enum: fc.array(smallJson, { maxLength: 4 }) }) as fc.Arbitrary<JsonSchema>,
  fc.boolean(),
)
const { schema: schemaArb } = fc.letrec<{ schema: JsonSchema }>((tie) => ({
  schema: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    leafSchema,
    fc
      .dictionary(fc.constantFrom('a', 'b', 'c', 'a', 'b', 'c', 'constructor', '__proto__'), tie('schema'), { maxKeys: 3 })
      .chain((properties) =>
        fc.record({
          type: fc.constant('object'),
          properties: fc.constant(properties),
          required: fc.subarray(['a', 'b', 'c', 'constructor']),
        }),
      ),
    fc.record(
      { type: fc.constant('array'), items: tie('schema'), minItems: fc.nat(2), maxItems: fc.nat(3) },
      { requiredKeys: ['type', 'items'] },
    ),
    fc
      .array(tie('schema'), { minLength: 1, maxLength: 3 })
      .map((prefixItems) => ({ type: 'array', prefixItems, items: false, minItems: prefixItems.length })),
    fc.array(tie('schema'), { minLength: 1, maxLength: 3 }).map((anyOf) => ({ anyOf })),
  ),
}))

/** Values built from a schema's own shape, so object and array schemas are met by more than chance. */
function valueFor(schema: JsonSchema): fc.Arbitrary<JsonValue> {
  if (typeof schema !== 'object') return smallJson
  const s = schema as Record<string, unknown>
  if (s.properties) {
    const props = s.properties as Record<string, JsonSchema>
    const shaped = fc.record(Object.fromEntries(Object.entries(props).map(([k, sub]) => [k, valueFor(sub)])), { requiredKeys: [] })
    return fc.oneof((shaped as fc.Arbitrary<JsonValue>).map(asParsed), smallJson)
  }
  if (s.prefixItems) {
    const items = (s.prefixItems as JsonSchema[]).map(valueFor)
    return fc.oneof(fc.tuple(...items) as fc.Arbitrary<JsonValue>, smallJson)
  }
  if (s.items !== undefined) return fc.oneof(fc.array(valueFor(s.items as JsonSchema), { maxLength: 4 }), smallJson)
  if (s.anyOf) return fc.oneof(...(s.anyOf as JsonSchema[]).map(valueFor))
  return smallJson
}

/** Member names that trip object code: prototype and method names, an empty one, array-like ones. */
const trickyKey = fc.constantFrom('a', 'b', '', '0', 'length', 'constructor', 'toString', 'valueOf', 'hasOwnProperty', '__proto__')
const { value: trickyJson } = fc.letrec<{ value: unknown }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    smallJson,
    fc.array(tie('value'), { maxLength: 3 }),
    fc.dictionary(trickyKey, tie('value'), { maxKeys: 3 }),
  ),
}))
/** As JSON.parse gives it: a `__proto__` member is an own property. */
const parsedJson = trickyJson.map((v) => JSON.parse(JSON.stringify(v)) as JsonValue)
const SIZES = ['minItems', 'maxItems', 'minLength', 'maxLength'] as const
const BOUNDS = ['minimum', 'maximum', 'exclusiveMinimum', 'exclusiveMaximum'] as const
/** Any few keywords of the vocabulary on one schema, in combinations no matcher builds. */
const { schema: anyVocabulary } = fc.letrec<{ schema: JsonSchema }>((tie) => ({
  schema: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.boolean(),
    fc
      .record(
        {
          type: fc.oneof(simpleType, fc.uniqueArray(simpleType, { minLength: 1, maxLength: 3 })),
          const: parsedJson,
          enum: fc.array(parsedJson, { minLength: 1, maxLength: 3 }),
          properties: fc.dictionary(trickyKey, tie('schema'), { maxKeys: 3 }),
          required: fc.uniqueArray(trickyKey, { maxLength: 3 }),
          items: tie('schema'),
          prefixItems: fc.array(tie('schema'), { minLength: 1, maxLength: 2 }),
          anyOf: fc.array(tie('schema'), { minLength: 1, maxLength: 2 }),
          ...Object.fromEntries(SIZES.map((k) => [k, fc.nat(3)])),
          ...Object.fromEntries(BOUNDS.map((k) => [k, edgeNumbers])),
          multipleOf: fc.constantFrom(1, 2, 0.5, 0.1, 0.01, 3, 1e-9, 1e21, 2 ** -1074),
          pattern: fc.constantFrom(...PATTERNS),
          format: fc.constantFrom(...FORMATS, 'ipv6', 'uri-reference', 'iso-date-time', 'json-pointer', 'uri-template'),
        },
        { requiredKeys: [] },
      )
      .chain((all) =>
        fc
          .subarray(Object.keys(all), { maxLength: 4 })
          .map((keys) => JSON.parse(JSON.stringify(Object.fromEntries(keys.map((k) => [k, all[k as keyof typeof all]])))) as JsonSchema),
      ),
  ),
}))

/**
 * Hand-picked edges where a reimplementation of JSON Schema most often parts from ajv: float multipleOf, integers
 * written 1.0 or beyond 2^53, code points against UTF-16 units, unicode in patterns, leap seconds and offsets in
 * formats, key order in const/enum/uniqueItems, -0, prototype-named members, keywords outside the vocabulary.
 */
const EDGES: [unknown, unknown][] = []
const add = (s: unknown, ...vs: unknown[]) => {
  for (const v of vs) EDGES.push([s, v])
}
add({ type: 'integer' }, 1, 1.0, 1.5, -0, 2 ** 53 + 2, 1e308, '1', null)
add({ multipleOf: 0.1 }, 0.3, 0.7, 1.1, 0.30000000000000004, 3, 1e-7)
add({ multipleOf: 0.01 }, 0.07, 1.13, 4.35, 0.1 + 0.2)
add({ type: 'number', multipleOf: 3 }, 9, 9.000000000000002, 1e21)
add({ maxLength: 1 }, '😀', 'é', 'e\u0301', '\uD800', '')
add({ minLength: 2 }, '😀', 'ab', '\uD83D\uDE00\uD83D\uDE00')
add({ pattern: '^.$' }, '😀', 'a', '\n')
add({ pattern: '^\\w+$' }, 'é', 'abc')
add({ pattern: '\\d' }, '٣', '3')
add({ pattern: '^[a-z]+$' }, 'ABC', 'abc')
add(
  { format: 'date-time' },
  '2024-01-15T10:30:00Z',
  '2024-01-15t10:30:00z',
  '2016-12-31T23:59:60Z',
  '2024-02-30T10:00:00Z',
  '2024-01-15T10:30:00.123456789+05:30',
  '2024-01-15 10:30:00Z',
  '2024-01-15T10:30:00',
)
add({ format: 'date' }, '2024-02-29', '2023-02-29', '2024-13-01')
add({ format: 'time' }, '10:30:00Z', '10:30:00', '23:59:60Z', '10:30:00+25:00')
add(
  { format: 'uuid' },
  '7F0C2A4E-3B1D-4C5E-9F6A-000000000000',
  'urn:uuid:7f0c2a4e-3b1d-4c5e-9f6a-000000000000',
  '7f0c2a4e3b1d4c5e9f6a000000000000',
)
add({ format: 'email' }, 'a@b.c', 'a@b', 'a b@c.d')
add({ format: 'ipv4' }, '1.2.3.4', '01.2.3.4', '256.1.1.1')
add({ format: 'ipv6' }, '::1', '1::1::1')
add({ format: 'uri' }, 'http://x', 'x', 'http://x y')
add({ format: 'duration' }, 'P1D', 'PT', 'P')
add({ format: 'nope' }, 'x')
add({ enum: [{ a: 1, b: 2 }] }, { b: 2, a: 1 }, { a: 1 }, { a: 1, b: 2, c: 3 })
add({ const: 0 }, -0, 0, '0', false)
add({ const: [1, { a: [] }] }, [1, { a: [] }], [1, { a: [null] }])
add({ enum: [1] }, 1.0, true)
add(
  { uniqueItems: true },
  [
    { a: 1, b: 2 },
    { b: 2, a: 1 },
  ],
  [1, 1.0],
  [0, -0],
)
add({ required: ['__proto__'] }, JSON.parse('{"__proto__":1}'), {})
add({ required: ['toString'] }, {}, { toString: 1 })
add({ properties: { constructor: { type: 'string' } } }, { constructor: 1 }, {})
add({ type: 'object', additionalProperties: false, properties: { a: {} } }, { a: 1, b: 2 }, { a: 1 })
add({ type: 'object', patternProperties: { '^x': { type: 'string' } } }, { x1: 1 }, { x1: 's' })
add({ prefixItems: [{ type: 'string' }], items: false }, ['a'], ['a', 1])
add({ items: { type: 'string' } }, ['a', 1], { 0: 1 })
add({ anyOf: [{ type: 'string' }, { type: 'null' }] }, null, 1)
add({ oneOf: [{ type: 'number' }, { type: 'integer' }] }, 1, 1.5)
add({ type: ['string', 'null'] }, null, 1)
add({ minimum: 0, exclusiveMaximum: 1 }, 1, 0.9999999999999999, -0)
add({ minItems: 1, maxItems: 1 }, [], [1], [1, 2])
add({ minProperties: 1 }, {}, { a: 1 })
add({ type: 'object', properties: { a: { type: 'integer' } }, required: ['a'] }, { a: 1 }, { a: '1' }, [])
add({ $ref: '#/$defs/x', $defs: { x: { type: 'string' } } }, 'a', 1)
add(true, 1)
add(false, 1)
add({ not: { type: 'string' } }, 'a', 1)
add(JSON.parse('{"if":{"type":"string"},"then":{"minLength":2}}'), 'a', 'ab', 1)
add({ contains: { type: 'string' } }, [1], ['a'])
add({ dependentRequired: { a: ['b'] } }, { a: 1 }, { a: 1, b: 2 })
add({ propertyNames: { maxLength: 1 } }, { ab: 1 }, { a: 1 })
add(
  { type: 'object', properties: { a: { type: 'object', properties: { b: { format: 'date-time', type: 'string' } } } } },
  { a: { b: 'nope' } },
  { a: { b: '2024-01-15T10:30:00Z' } },
)
add({ maxLength: 3, format: 'date' }, '2024-01-01')
add({ type: 'string', maxLength: 2 }, 'ab\u0000')
add({ type: 'number' }, Number.NaN, Number.POSITIVE_INFINITY)

describe('interpret: the answer without ajv', () => {
  it('never answers otherwise than ajv on hand-picked edges, and answers most of them itself', () => {
    const disagreements: string[] = []
    let answered = 0
    for (const [schema, value] of EDGES) {
      const mine = interpreted(schema as JsonSchema, value)
      if (mine === undefined) continue
      answered++
      const ajv = validate(schema as JsonSchema, value).length === 0
      if (mine !== ajv) disagreements.push(`${JSON.stringify(schema)} on ${String(value)}: interpret ${mine}, ajv ${ajv}`)
    }
    expect(disagreements).toEqual([])
    expect(answered).toBeGreaterThan(EDGES.length / 2)
  })

  it('is what ajv answers, on generated schemas of the matcher vocabulary and values near their edges', () => {
    let answered = 0
    let asked = 0
    fc.assert(
      fc.property(
        schemaArb.chain((schema) => fc.tuple(fc.constant(schema), fc.array(valueFor(schema), { minLength: 1, maxLength: 6 }))),
        ([schema, values]) => {
          for (const value of values) {
            asked++
            const here = interpreted(schema, value)
            if (here === undefined) continue
            answered++
            expect(here, JSON.stringify({ schema, value })).toBe(ajvSays(schema, value))
          }
        },
      ),
      { numRuns: 2000 },
    )
    // The vocabulary is answered here, not passed on: most generated cases never reach ajv.
    expect(answered / asked).toBeGreaterThan(0.5)
  })

  it('is what ajv answers on any few keywords of the vocabulary together, over values with prototype and method names', () => {
    let valid = 0
    fc.assert(
      fc.property(anyVocabulary, fc.array(parsedJson, { minLength: 1, maxLength: 6 }), (schema, values) => {
        for (const value of values) {
          const here = interpreted(schema, value)
          if (here === undefined) continue
          // The engine's ajv compares plain objects by their own keys (scripts/ajv-json-equal.cjs): it never throws here.
          const there = ajvSays(schema, value)
          if (here) valid++
          expect(here, JSON.stringify({ schema, value })).toBe(there)
        }
      }),
      { numRuns: 3000 },
    )
    expect(valid).toBeGreaterThan(1000)
  })

  it("is what ajv answers on every matcher's schema, its example and its variants", () => {
    const templates = [
      { id: uuid(), n: integer(3, { minimum: 1, maximum: 9, multipleOf: 3 }), tags: eachLike(string('t', { maxLength: 3 }), { max: 2 }) },
      { kind: oneOf(['a', 'b', null]), note: optional(nullable(string('x'))), code: regex('^[A-Z]-\\d+$', 'A-1') },
      like({ a: 1, b: ['x'], c: { d: true, e: null } }),
    ]
    for (const t of templates) {
      const { schema, example } = like(t)
      for (const value of [example, ...variantsOf(schema, example, 50).map((v) => v.value)]) {
        expect(interpreted(schema, value)).toBe(ajvSays(schema, value))
      }
    }
  })

  it('leaves to ajv what it does not reproduce: other keywords, malformed keywords, unknown formats, non-JSON values', () => {
    expect(interpreted({ type: 'object', additionalProperties: false }, {})).toBeUndefined()
    expect(interpreted({ $schema: 'http://json-schema.org/draft-07/schema#', type: 'string' }, 'a')).toBeUndefined()
    expect(interpreted({ type: 'string', minLength: -1 }, 'a')).toBeUndefined()
    expect(interpreted({ type: 'string', format: 'not-a-format' }, 'a')).toBeUndefined()
    expect(interpreted({ type: 'string', format: 'binary' }, 'a')).toBeUndefined()
    expect(interpreted({ type: 'string', pattern: '(a)\\1' }, 'aa')).toBeUndefined()
    expect(interpreted({ type: 'number' }, Number.NaN)).toBeUndefined()
    expect(interpreted({ type: 'object' }, new Date(0))).toBeUndefined()
    expect(interpreted({ properties: { a: { type: 'string' } } }, { a: undefined })).toBeUndefined()
    expect(interpreted({ const: { a: 1 } }, { a: () => 1 })).toBeUndefined()
    // …and ajv's answers stand, errors included
    expect(conforms({ type: 'number' }, Number.NaN)).toBe(ajvSays({ type: 'number' }, Number.NaN))
    expect(() => conforms({ type: 'string', minLength: -1 }, 'a')).toThrowError(
      expect.objectContaining({ code: ErrorCodes.SCHEMA_INVALID }),
    )
    expect(() => conforms({ type: 'string', pattern: '(a)\\1' }, 'aa')).toThrowError(
      expect.objectContaining({ code: ErrorCodes.SCHEMA_INVALID }),
    )
  })

  it('rejects a pattern that does not compile even where the value never reaches it, as ajv does', () => {
    const schema = { anyOf: [{ type: 'number' }, { type: 'string', pattern: '(?=a)' }] }
    expect(() => conforms(schema, 1)).toThrowError(expect.objectContaining({ code: ErrorCodes.SCHEMA_INVALID }))
  })
})
