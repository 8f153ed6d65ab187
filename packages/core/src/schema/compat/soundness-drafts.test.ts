/**
 * The soundness property (see soundness.test.ts) over the drafts and the conditional keywords:
 * - mixed drafts: generated pairs with one side rewritten to draft-07 (`$schema` set, tuple `items`,
 *   `definitions`, `dependencies`), validated by the draft-07 ajv;
 * - dependents: object schemas with `dependentRequired`, `dependentSchemas` and draft-07
 *   `dependencies`, arrays with `contains`/`minContains`, which dependents.ts reasons about.
 * Whenever the engine says "compatible", no generated instance the writer accepts may be refused by the reader.
 */
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import type { JsonSchema } from '../../json/types.js'
import { toDraft07 } from '../draft-normalise.js'
import { DRAFT_URIS } from '../drafts.js'
import { validate } from '../engine.js'
import { documentArb, instanceArb, readerFor, type Schema } from './__fixtures__/arbitraries.js'
import { checkCompatibility } from './index.js'

const RUNS = Number(process.env.TREATY_COMPAT_RUNS ?? 400)
const SEED = 20_251_202

const accepts = (schema: JsonSchema, v: unknown) => {
  try {
    return validate(schema, v).length === 0
  } catch {
    return false
  }
}

function assertSound(writer: JsonSchema, reader: JsonSchema, instances: unknown[], stats: { cases: number; compatible: number }) {
  stats.cases++
  if (!checkCompatibility(writer, reader).compatible) return
  stats.compatible++
  for (const v of instances) {
    if (accepts(writer, v) && !accepts(reader, v)) {
      throw new Error(
        `judged compatible, but ${JSON.stringify(v)} is refused by ${JSON.stringify(reader)} (writer ${JSON.stringify(writer)})`,
      )
    }
  }
}

/** The draft-07 form of a generated document, or undefined when it uses what draft-07 cannot say. */
function as07(schema: Schema): JsonSchema | undefined {
  if (typeof schema !== 'object') return undefined
  try {
    return { $schema: DRAFT_URIS['draft-07'], ...(toDraft07(schema) as object) }
  } catch {
    return undefined
  }
}

describe('compatibility soundness across drafts (property)', () => {
  it(`a draft-07 side against a 2020-12 side is never wrongly compatible (${RUNS} runs)`, () => {
    const stats = { cases: 0, compatible: 0 }
    const arb = documentArb.chain((w) =>
      fc
        .tuple(fc.constant(w), readerFor(w))
        .chain(([w2, r]) =>
          fc.tuple(fc.constant(w2), fc.constant(r), fc.array(fc.oneof(instanceArb(w2), instanceArb(r)), { minLength: 4, maxLength: 8 })),
        ),
    )
    fc.assert(
      fc.property(arb, ([writer, reader, instances]) => {
        const w07 = as07(writer)
        const r07 = as07(reader)
        if (w07) assertSound(w07, reader as JsonSchema, instances, stats)
        if (r07) assertSound(writer as JsonSchema, r07, instances, stats)
      }),
      { seed: SEED, numRuns: RUNS },
    )
    expect(stats.cases).toBeGreaterThan(RUNS)
    expect(stats.compatible / stats.cases).toBeGreaterThanOrEqual(0.15)
  }, 600_000)

  const names = fc.constantFrom('a', 'b', 'c')
  const prop = fc.constantFrom({ type: 'integer' }, { type: 'string' }, {})
  const objectSchema = fc
    .record({
      properties: fc.record({ a: prop, b: prop, c: prop }),
      required: fc.uniqueArray(names, { maxLength: 3 }),
      additionalProperties: fc.option(fc.constant(false), { nil: undefined }),
      dependentRequired: fc.option(fc.dictionary(names, fc.uniqueArray(names, { minLength: 1, maxLength: 2 }), { maxKeys: 2 }), {
        nil: undefined,
      }),
      dependentSchemas: fc.option(
        fc.dictionary(names, fc.record({ required: fc.uniqueArray(names, { minLength: 1, maxLength: 2 }) }), { maxKeys: 1 }),
        {
          nil: undefined,
        },
      ),
    })
    .map((s) => ({ type: 'object', ...Object.fromEntries(Object.entries(s).filter(([, v]) => v !== undefined)) }) as JsonSchema)
  const draft07Object = objectSchema.map((s) => ({ $schema: DRAFT_URIS['draft-07'], ...(toDraft07(s) as object) }) as JsonSchema)
  const arraySchema = fc
    .record({
      contains: fc.option(fc.constantFrom({ type: 'string' }, { type: 'integer' }, { type: 'integer', minimum: 2 }), { nil: undefined }),
      minContains: fc.option(fc.constantFrom(0, 1, 2), { nil: undefined }),
      maxContains: fc.option(fc.constantFrom(1, 2), { nil: undefined }),
    })
    .map((s) => ({ type: 'array', ...Object.fromEntries(Object.entries(s).filter(([, v]) => v !== undefined)) }) as JsonSchema)
  const numeric = fc.constantFrom(
    { type: 'integer' },
    { minimum: 10 },
    { maximum: 3 },
    { multipleOf: 2 },
    { type: 'integer', minimum: 10, multipleOf: 2 },
  )
  // Built from entries: an object literal with a `then` key reads as a thenable to the linter.
  const conditionalSchema = fc
    .tuple(
      ...(['if', 'then', 'else'] as const).map((k) =>
        fc.option(
          numeric.map((v) => [k, v] as const),
          { nil: undefined },
        ),
      ),
    )
    .map((entries) => ({ type: 'number', ...Object.fromEntries(entries.filter((e) => e !== undefined)) }) as JsonSchema)
  const value = fc.oneof(fc.integer({ min: -1, max: 4 }), fc.constantFrom('x', ''))
  const objectInstance = fc.record({ a: value, b: value, c: value }, { requiredKeys: [] })
  const arrayInstance = fc.array(value, { maxLength: 4 })

  it(`dependentRequired, dependentSchemas, dependencies, contains and if/then/else are never wrongly compatible (${RUNS} runs)`, () => {
    const stats = { cases: 0, compatible: 0 }
    fc.assert(
      fc.property(
        fc.oneof(objectSchema, draft07Object),
        fc.oneof(objectSchema, draft07Object),
        arraySchema,
        arraySchema,
        fc.array(objectInstance, { minLength: 8, maxLength: 16 }),
        fc.array(arrayInstance, { minLength: 8, maxLength: 16 }),
        fc.tuple(fc.oneof(conditionalSchema, numeric), conditionalSchema),
        fc.array(fc.integer({ min: -2, max: 14 }), { minLength: 8, maxLength: 16 }),
        (w, r, wa, ra, objects, arrays, [wn, rn], numbers) => {
          assertSound(w, r, objects, stats)
          assertSound(wa, ra, arrays, stats)
          assertSound(wn, rn, numbers, stats)
        },
      ),
      { seed: SEED, numRuns: RUNS },
    )
    expect(stats.compatible / stats.cases).toBeGreaterThanOrEqual(0.1)
  }, 600_000)
})
