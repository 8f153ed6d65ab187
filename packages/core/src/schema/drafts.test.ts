/**
 * Every draft validates with its own semantics, and the 2020-12 form draft-normalise.ts gives an older
 * schema accepts exactly what the original did. Draft-04 runs the official JSON-Schema-Test-Suite
 * cases (the `json-schema-test-suite` npm package, read from disk) for the keywords Treaty uses; the
 * later drafts' own keywords run the cases below, written after the suite's.
 */
import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { parseContract } from '../contract/read-write.js'
import { ErrorCodes } from '../errors.js'
import type { JsonSchema } from '../json/types.js'
import { checkCompatibility } from './compat/index.js'
import { toDraft07, toDraft2020 } from './draft-normalise.js'
import { DRAFT_URIS, type Draft, draftOfUri } from './drafts.js'
import { assertValidSchema, validate } from './engine.js'

const SUITE = join(dirname(createRequire(import.meta.url).resolve('json-schema-test-suite/package.json')), 'tests', 'draft4')
/** The keywords contracts use; `refRemote` and the format/bignum extras are left out (no network, not used). */
const KEYWORDS = [
  'additionalItems',
  'additionalProperties',
  'allOf',
  'anyOf',
  'definitions',
  'dependencies',
  'enum',
  'items',
  'maxItems',
  'maxLength',
  'maxProperties',
  'maximum',
  'minItems',
  'minLength',
  'minProperties',
  'minimum',
  'multipleOf',
  'not',
  'oneOf',
  'pattern',
  'patternProperties',
  'properties',
  'ref',
  'required',
  'type',
  'uniqueItems',
]

interface Group {
  description: string
  schema: { [k: string]: unknown } | boolean
  tests: { description: string; data: unknown; valid: boolean }[]
}

const withDraft = (schema: Group['schema'], draft: Draft): JsonSchema =>
  typeof schema === 'object' ? { $schema: DRAFT_URIS[draft], ...schema } : schema
const valid = (schema: JsonSchema, data: unknown) => validate(schema, data).length === 0
/** Remote refs (the draft-04 meta-schema by URL) would need the network: those groups are skipped. */
const remote = (schema: unknown) => JSON.stringify(schema).includes('"$ref":"http')

describe('draft-04: the official JSON-Schema-Test-Suite', () => {
  for (const keyword of KEYWORDS) {
    const groups = JSON.parse(readFileSync(join(SUITE, `${keyword}.json`), 'utf8')) as Group[]
    const cases = groups
      .filter((g) => !remote(g.schema))
      .flatMap((g) => g.tests.map((t) => ({ ...t, group: g.description, schema: g.schema })))
    it(`${keyword}: ${cases.length} cases, as draft-04 and in 2020-12 form`, () => {
      for (const c of cases) {
        const schema = withDraft(c.schema, 'draft-04')
        expect(valid(schema, c.data), `${c.group} / ${c.description} (draft-04)`).toBe(c.valid)
        expect(valid(toDraft2020(schema), c.data), `${c.group} / ${c.description} (2020-12 form)`).toBe(c.valid)
      }
    })
  }
})

// Built from entries: an object literal with a `then` key reads as a thenable to the linter.
const IF_THEN_ELSE = Object.fromEntries([
  ['if', { minimum: 10 }],
  ['then', { multipleOf: 2 }],
  ['else', { maximum: 3 }],
])

/** [draft, schema, instance, valid]: each later draft's own keywords and changes. */
const OWN_CASES: [Draft, object, unknown, boolean][] = [
  // draft-06: exclusiveMinimum is a number, const, contains, propertyNames, boolean schemas
  ['draft-06', { exclusiveMinimum: 1 }, 1, false],
  ['draft-06', { exclusiveMinimum: 1 }, 1.1, true],
  ['draft-06', { const: { a: 1 } }, { a: 1 }, true],
  ['draft-06', { const: { a: 1 } }, { a: 2 }, false],
  ['draft-06', { contains: { minimum: 5 } }, [1, 6], true],
  ['draft-06', { contains: { minimum: 5 } }, [1, 2], false],
  ['draft-06', { propertyNames: { maxLength: 3 } }, { abcd: 1 }, false],
  ['draft-06', { items: [true, false] }, [1, 2], false],
  ['draft-06', { items: [{ type: 'string' }], additionalItems: false }, ['a', 'b'], false],
  // draft-07: if/then/else, tuple items with additionalItems schema, dependencies both ways, definitions
  ['draft-07', IF_THEN_ELSE, 11, false],
  ['draft-07', IF_THEN_ELSE, 12, true],
  ['draft-07', IF_THEN_ELSE, 5, false],
  ['draft-07', { items: [{ type: 'integer' }], additionalItems: { type: 'string' } }, [1, 'a', 'b'], true],
  ['draft-07', { items: [{ type: 'integer' }], additionalItems: { type: 'string' } }, [1, 2], false],
  ['draft-07', { dependencies: { bar: ['foo'] } }, { bar: 1 }, false],
  ['draft-07', { dependencies: { bar: { required: ['baz'] } } }, { bar: 1, baz: 2 }, true],
  ['draft-07', { dependencies: { bar: { required: ['baz'] } } }, { bar: 1 }, false],
  ['draft-07', { definitions: { n: { type: 'integer' } }, properties: { a: { $ref: '#/definitions/n' } } }, { a: 1.5 }, false],
  // ajv applies a $ref's siblings in every draft (the drafts before 2019-09 say to ignore them); so does the 2020-12 form
  ['draft-07', { definitions: { n: { type: 'integer' } }, properties: { a: { $ref: '#/definitions/n', maximum: 1 } } }, { a: 5 }, false],
  ['draft-07', { items: [{ type: 'integer' }, { $ref: '#/items/0' }] }, [1, 1.5], false],
  // 2019-09: dependentRequired/dependentSchemas, unevaluatedProperties, $recursiveRef, tuple items still arrays
  ['2019-09', { dependentRequired: { bar: ['foo'] } }, { bar: 1 }, false],
  ['2019-09', { dependentSchemas: { bar: { required: ['baz'] } } }, { bar: 1 }, false],
  ['2019-09', { properties: { a: true }, unevaluatedProperties: false }, { a: 1, b: 2 }, false],
  ['2019-09', { items: [{ type: 'integer' }], additionalItems: false }, [1, 2], false],
  ['2019-09', { properties: { a: { $ref: '#/$defs/n', maximum: 1 } }, $defs: { n: { type: 'integer' } } }, { a: 5 }, false],
  [
    '2019-09',
    { $recursiveAnchor: true, type: 'object', properties: { child: { $recursiveRef: '#' }, n: { type: 'integer' } } },
    { n: 1, child: { n: 2, child: { n: 'x' } } },
    false,
  ],
  [
    '2019-09',
    { $recursiveAnchor: true, type: 'object', properties: { child: { $recursiveRef: '#' }, n: { type: 'integer' } } },
    { n: 1, child: { n: 2 } },
    true,
  ],
]

describe('draft-06, draft-07 and 2019-09 semantics', () => {
  it.each(OWN_CASES.map(([d, s, v, ok], i) => [i, d, JSON.stringify(s), JSON.stringify(v), ok, s, v] as const))(
    '#%i %s %s on %s → %s, in its own draft and in 2020-12 form',
    (_i, draft, _s, _v, ok, schema, instance) => {
      const own = withDraft(schema as Group['schema'], draft)
      expect(valid(own, instance)).toBe(ok)
      expect(valid(toDraft2020(own), instance)).toBe(ok)
    },
  )

  it('draft-07 form of a 2020-12 schema (AsyncAPI export) accepts the same instances', () => {
    for (const [draft, schema, instance, ok] of OWN_CASES.filter(([d]) => d !== '2019-09')) {
      const modern = toDraft2020(withDraft(schema as Group['schema'], draft))
      expect(valid(withDraft(toDraft07(modern) as Group['schema'], 'draft-07'), instance)).toBe(ok)
    }
  })
})

describe('drafts in the engine', () => {
  it('recognises every draft URI as written in the wild', () => {
    expect(draftOfUri('http://json-schema.org/draft-07/schema#')).toBe('draft-07')
    expect(draftOfUri('https://json-schema.org/draft-07/schema')).toBe('draft-07')
    expect(draftOfUri('http://json-schema.org/draft-04/schema')).toBe('draft-04')
    expect(draftOfUri('https://json-schema.org/draft/2019-09/schema')).toBe('2019-09')
    expect(draftOfUri('https://example.com/my-meta')).toBeUndefined()
  })

  it("meta-validates a schema against its own draft's meta-schema", () => {
    expect(() => assertValidSchema({ $schema: DRAFT_URIS['draft-07'], items: [{ type: 'string' }] })).not.toThrow()
    expect(() => assertValidSchema({ $schema: DRAFT_URIS['draft-04'], exclusiveMinimum: true, minimum: 1 })).not.toThrow()
    expect(() => assertValidSchema({ $schema: DRAFT_URIS['draft-04'], exclusiveMinimum: 1 })).toThrow(
      expect.objectContaining({ code: ErrorCodes.SCHEMA_INVALID }),
    )
  })

  it('a contract may carry a schema of an older draft; its example is checked with that draft', () => {
    const schema = {
      $schema: DRAFT_URIS['draft-07'],
      type: 'array',
      items: [{ type: 'string' }, { type: 'integer' }],
      additionalItems: false,
    }
    const contract = (example: unknown) => ({
      treaty: '1',
      consumer: 'c',
      provider: 'p',
      expectations: [{ description: 'a pair', channel: 'pairs', providerStates: [], payload: { schema, example } }],
    })
    expect(parseContract(contract(['a', 1])).expectations[0]?.payload.schema).toEqual(schema)
    expect(() => parseContract(contract(['a', 1, 2]))).toThrow(expect.objectContaining({ code: ErrorCodes.EXAMPLE_INVALID }))
  })

  it('compares mixed drafts: a draft-07 tuple reader against a 2020-12 writer', () => {
    const writer = { type: 'array', prefixItems: [{ type: 'integer' }, { type: 'string' }], items: false }
    const reader07 = {
      $schema: DRAFT_URIS['draft-07'],
      type: 'array',
      items: [{ type: 'number' }, { type: 'string' }],
      additionalItems: false,
    }
    const narrower07 = { $schema: DRAFT_URIS['draft-07'], type: 'array', items: [{ type: 'integer' }, { type: 'string', maxLength: 2 }] }
    expect(checkCompatibility(writer, reader07).compatible).toBe(true)
    expect(checkCompatibility(writer, narrower07).compatible).toBe(false)
    // draft-04's boolean exclusiveMinimum: (0, ∞) is within [0, ∞) but not the other way round.
    const open04 = { $schema: DRAFT_URIS['draft-04'], type: 'number', minimum: 0, exclusiveMinimum: true }
    const closed = { type: 'number', minimum: 0 }
    expect(checkCompatibility(open04, closed).compatible).toBe(true)
    expect(checkCompatibility(closed, open04).compatible).toBe(false)
  })
})
