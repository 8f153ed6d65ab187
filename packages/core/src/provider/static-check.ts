/**
 * The static check, once: does every message a producer's schema allows satisfy an expectation?
 * `treaty verify --static` (schemas derived from TypeScript types, `analysis/check.ts`) and the broker
 * (published provider schemas: bi-directional can-i-deploy, pair state, impact) both call it.
 *
 * Every expectation must find a producer by the verifier's key rule (`producerKeys`: exact description,
 * then `channel#messageName`, then `channel`), and every message that producer's schema allows must
 * satisfy the expectation (`checkCompatibility(writer = producer, reader = expectation)`: sound, so
 * "compatible" is proven). A schema the engine cannot use is "not proven" (`CANNOT_PROVE`), never
 * "compatible". Differences are root causes (`rootDifferences`): a renamed field is one difference.
 *
 * No ts-morph here: the broker imports this through `@treaty/core`.
 */
import type { Expectation } from '../contract/types.js'
import { isTreatyError } from '../errors.js'
import type { JsonSchema } from '../json/types.js'
import { checkCompatibility } from '../schema/compat/check.js'
import { renamedPhrase, rootDifferences } from '../schema/compat/root-causes.js'
import { producerKeys } from './producers.js'

/** What a producer may send, as schemas. */
export interface ProducerSchema {
  /** An expectation's description, `channel#messageName`, or a channel: the keys the verifier looks up. */
  key: string
  /** JSON Schema of every payload the producer may send. */
  payload: JsonSchema
  /** JSON Schema of every headers object the producer may send. */
  headers: JsonSchema
}

/** The parts of an expectation the static check reads. */
export type CheckedExpectation = Pick<Expectation, 'description' | 'channel' | 'messageName' | 'payload' | 'headers'>

/** Why a producer's schema does not satisfy one expectation. */
export interface StaticCheckDifference {
  /** The expectation, by its description. */
  expectation: string
  part: 'payload' | 'headers'
  /** JSON pointer into the message, as the compatibility engine reports it. */
  pointer: string
  /** A compatibility engine kind (`REQUIRED_PROPERTY_ADDED`, …), `NO_PRODUCER` or `CANNOT_PROVE`. */
  kind: string
  message: string
}

/** The producers an expectation is checked against: those under the first of its keys that exists. */
export function producersFor<P extends { key: string }>(
  e: Pick<Expectation, 'description' | 'channel' | 'messageName'>,
  producers: readonly P[] | ReadonlyMap<string, readonly P[]>,
): P[] {
  for (const key of producerKeys(e)) {
    const found = Array.isArray(producers)
      ? (producers as readonly P[]).filter((p) => p.key === key)
      : [...((producers as ReadonlyMap<string, readonly P[]>).get(key) ?? [])]
    if (found.length > 0) return found
  }
  return []
}

/** The `NO_PRODUCER` difference: nothing under any of the expectation's keys; `known` lists what there is. */
export function noProducer(e: CheckedExpectation, known: Iterable<string>): StaticCheckDifference {
  const keys = [...new Set(known)].sort().join(', ') || 'none'
  return {
    expectation: e.description,
    part: 'payload',
    pointer: '',
    kind: 'NO_PRODUCER',
    message: `no producer for "${e.description}" (channel ${e.channel}); producers found: ${keys}`,
  }
}

/** Every root-cause difference between one producer's schemas and one expectation; empty when satisfied. */
export function checkProducer(e: CheckedExpectation, producer: ProducerSchema): StaticCheckDifference[] {
  const out = compare(e.description, 'payload', producer.payload, e.payload.schema)
  if (e.headers) out.push(...compare(e.description, 'headers', producer.headers, e.headers.schema))
  return out
}

/** Every difference between producers' schemas and expectations; empty when all are satisfied. */
export function staticDifferences(
  expectations: readonly CheckedExpectation[],
  producers: readonly ProducerSchema[],
): StaticCheckDifference[] {
  const out: StaticCheckDifference[] = []
  for (const e of expectations) {
    const found = producersFor(e, producers)
    if (found.length === 0)
      out.push(
        noProducer(
          e,
          producers.map((p) => p.key),
        ),
      )
    for (const p of found) out.push(...checkProducer(e, p))
  }
  return out
}

function compare(
  expectation: string,
  part: StaticCheckDifference['part'],
  writer: JsonSchema,
  reader: JsonSchema,
): StaticCheckDifference[] {
  try {
    const differences = checkCompatibility(writer, reader).differences.map((d) => ({
      expectation,
      part,
      pointer: d.pointer,
      kind: d.kind as string,
      message: d.message,
    }))
    // Every message of a writer that allows none satisfies any reader: true, and no evidence (a `never` return
    // type, `false`, bounds no value meets). Asked only of a proven writer, so a failing check costs nothing more.
    if (differences.length === 0 && checkCompatibility(writer, false).compatible) {
      const message = `cannot prove: the producer's ${part} schema allows no message at all, so it proves nothing`
      return [{ expectation, part, pointer: '', kind: 'CANNOT_PROVE', message }]
    }
    return rootDifferences(differences, { writer, reader })
  } catch (err) {
    // Both sides are validated when published; should one still be unusable, that is "not proven", never "compatible".
    if (!isTreatyError(err)) throw err
    return [{ expectation, part, pointer: '', kind: 'CANNOT_PROVE', message: `cannot prove: ${err.message}` }]
  }
}

/** `payload/title REQUIRED_PROPERTY_ADDED, headers/traceId TYPE_NARROWED and 2 more`, per expectation when several fail. */
export function differenceList(differences: readonly StaticCheckDifference[]): string {
  const byExpectation = new Map<string, StaticCheckDifference[]>()
  for (const d of differences) byExpectation.set(d.expectation, [...(byExpectation.get(d.expectation) ?? []), d])
  const several = byExpectation.size > 1
  return [...byExpectation]
    .map(([expectation, ds]) => {
      const shown = ds.slice(0, 5).map((d) => `${d.part}${d.pointer} ${renamedPhrase(d) ?? d.kind}`)
      const rest = ds.length - shown.length
      const list = `${shown.join(', ')}${rest > 0 ? ` and ${rest} more` : ''}`
      return several ? `"${expectation}": ${list}` : list
    })
    .join('; ')
}
