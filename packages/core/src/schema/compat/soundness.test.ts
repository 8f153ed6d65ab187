/**
 * The engine's promise, tested: whenever it says "compatible", every instance valid under the
 * writer is valid under the reader according to ajv (engine.ts). Pairs come mostly from a schema
 * and a mutation of it, so a good share is compatible; the test fails if that share drops, since a
 * property that only ever sees "incompatible" proves nothing.
 *
 * Deterministic by default; set TREATY_COMPAT_SEED to a number (or `random`) and TREATY_COMPAT_RUNS
 * (runs of 4 cases each) to explore further.
 * fast-check prints the seed and path of any failure.
 */
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import type { JsonSchema } from '../../json/types.js'
import { validate, validatorFor } from '../engine.js'
import { documentArb, instanceArb, readerFor, type Schema } from './__fixtures__/arbitraries.js'
import { checkCompatibility } from './index.js'

/** Each run draws one writer and READERS readers: 2,500 runs × 4 = 10,000 writer/reader cases. */
const RUNS = Number(process.env.TREATY_COMPAT_RUNS ?? 2_500)
const READERS = 4
const CASES = RUNS * READERS
const SEED = seedFromEnv(process.env.TREATY_COMPAT_SEED)

function seedFromEnv(raw: string | undefined): number {
  if (raw === undefined || raw === '') return 20_240_611
  if (raw === 'random') return Date.now() % 2 ** 31
  return Number(raw)
}

// One writer is compiled once for several readers: ajv compiling is most of this test's time.
// Instances are shaped by the writer and by each reader: the reader's bounds are where counterexamples sit.
const runArb = documentArb.chain((writer) =>
  fc.tuple(
    fc.constant(writer),
    fc.array(
      readerFor(writer).chain((reader) => fc.tuple(fc.constant(reader), fc.array(instanceArb(reader), { minLength: 2, maxLength: 4 }))),
      { minLength: READERS, maxLength: READERS },
    ),
    fc.array(instanceArb(writer), { minLength: 4, maxLength: 8 }),
  ),
)

describe('compatibility soundness (property)', () => {
  it(
    `never calls a pair compatible when ajv finds a writer instance the reader rejects (${CASES} cases)`,
    () => {
      const stats = { cases: 0, compatible: 0, writerInstances: 0, compatibleWithInstances: 0, writerUncompilable: 0 }
      fc.assert(
        fc.property(runArb, ([writer, readers, instances]) => {
          let valid: unknown[] | undefined
          for (const [reader, shapedByReader] of readers) {
            stats.cases++
            if (!checkCompatibility(writer as JsonSchema, reader as JsonSchema).compatible) continue
            stats.compatible++
            if (!compiles(writer)) {
              // ajv cannot compile the writer (e.g. `nullable` without `type`): no instance is valid under it.
              stats.writerUncompilable++
              continue
            }
            valid ??= instances.filter((i) => accepts(writer, i))
            const candidates = [...valid, ...shapedByReader.filter((i) => accepts(writer, i))]
            stats.writerInstances += candidates.length
            if (candidates.length > 0) stats.compatibleWithInstances++
            for (const instance of candidates) {
              const issues = validate(reader as JsonSchema, instance)
              if (issues.length > 0) {
                throw new Error(
                  `judged compatible, but ${JSON.stringify(instance)} is rejected by reader ${JSON.stringify(reader)}: ${JSON.stringify(issues[0])}`,
                )
              }
            }
          }
        }),
        { seed: SEED, numRuns: RUNS },
      )
      const share = stats.compatible / stats.cases
      console.info(
        `compat soundness: seed ${SEED}, ${stats.cases} cases, ${(share * 100).toFixed(1)}% judged compatible, ` +
          `${stats.compatibleWithInstances} of those with writer-valid instances (${stats.writerInstances} instance checks)`,
      )
      expect(stats.cases).toBeGreaterThanOrEqual(CASES)
      expect(share).toBeGreaterThanOrEqual(0.2)
      expect(stats.compatibleWithInstances / stats.compatible).toBeGreaterThanOrEqual(0.5)
    },
    120_000 + RUNS * 20,
  )
})

function compiles(schema: Schema): boolean {
  try {
    validatorFor(schema as JsonSchema)
    return true
  } catch {
    return false
  }
}

function accepts(schema: Schema, instance: unknown): boolean {
  return validate(schema as JsonSchema, instance).length === 0
}
