/**
 * The static half of can-i-deploy (bi-directional contract testing): a provider version that published its
 * provider schema, but never replayed a consumer's contract, is judged by comparing schemas. Every
 * expectation must find a producer by the verifier's key rule (exact description, then
 * `channel#messageName`, then `channel`), and every message that producer's schema allows must satisfy the
 * expectation (`checkCompatibility(writer = producer, reader = expectation)`: sound, so "compatible" is proven).
 * Pure: the schemas and the contract's expectations arrive as facts.
 */
import { checkCompatibility, isTreatyError, type JsonSchema, producerKeys } from '@treaty/core'
import type { ExpectationFact, ProviderSchemaProducer } from './types.js'

/** Why a provider schema does not satisfy one expectation. */
export interface StaticRowDifference {
  /** The expectation, by its description. */
  expectation: string
  part: 'payload' | 'headers'
  /** JSON pointer into the message, as the compatibility engine reports it. */
  pointer: string
  /** A compatibility engine kind (`REQUIRED_PROPERTY_ADDED`, …), or `NO_PRODUCER`. */
  kind: string
  message: string
}

/** The producers an expectation is checked against: those under the first of its keys that exists. */
export function producersFor(e: ExpectationFact, producers: readonly ProviderSchemaProducer[]): ProviderSchemaProducer[] {
  for (const key of producerKeys(e)) {
    const found = producers.filter((p) => p.key === key)
    if (found.length > 0) return found
  }
  return []
}

/** Every difference between a provider schema and a contract's expectations; empty when all are satisfied. */
export function staticDifferences(
  expectations: readonly ExpectationFact[],
  producers: readonly ProviderSchemaProducer[],
): StaticRowDifference[] {
  const out: StaticRowDifference[] = []
  for (const e of expectations) {
    const found = producersFor(e, producers)
    if (found.length === 0) {
      const known = [...new Set(producers.map((p) => p.key))].sort().join(', ') || 'none'
      out.push({
        expectation: e.description,
        part: 'payload',
        pointer: '',
        kind: 'NO_PRODUCER',
        message: `no producer for "${e.description}" (channel ${e.channel}); the provider schema has: ${known}`,
      })
      continue
    }
    for (const p of found) {
      out.push(...compare(e.description, 'payload', p.payload, e.payload.schema))
      if (e.headers) out.push(...compare(e.description, 'headers', p.headers, e.headers.schema))
    }
  }
  return out
}

function compare(expectation: string, part: StaticRowDifference['part'], writer: JsonSchema, reader: JsonSchema): StaticRowDifference[] {
  try {
    return checkCompatibility(writer, reader).differences.map((d) => ({
      expectation,
      part,
      pointer: d.pointer,
      kind: d.kind,
      message: d.message,
    }))
  } catch (err) {
    // Both sides are validated when published; should one still be unusable, that is "not proven", never "compatible".
    if (!isTreatyError(err)) throw err
    return [{ expectation, part, pointer: '', kind: 'CANNOT_PROVE', message: `cannot prove: ${err.message}` }]
  }
}

/** `payload/title REQUIRED_PROPERTY_ADDED, headers/traceId TYPE_NARROWED and 2 more`, per expectation when several fail. */
export function differenceList(differences: readonly StaticRowDifference[]): string {
  const byExpectation = new Map<string, StaticRowDifference[]>()
  for (const d of differences) byExpectation.set(d.expectation, [...(byExpectation.get(d.expectation) ?? []), d])
  const several = byExpectation.size > 1
  return [...byExpectation]
    .map(([expectation, ds]) => {
      const shown = ds.slice(0, 5).map((d) => `${d.part}${d.pointer} ${d.kind}`)
      const rest = ds.length - shown.length
      const list = `${shown.join(', ')}${rest > 0 ? ` and ${rest} more` : ''}`
      return several ? `"${expectation}": ${list}` : list
    })
    .join('; ')
}
