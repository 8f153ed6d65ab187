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

describe('interpret: the answer without ajv', () => {
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
