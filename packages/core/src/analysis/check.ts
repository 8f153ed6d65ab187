/**
 * Static verification: each expectation is checked against the schema derived from its producer's
 * types with the compatibility engine (the derived schema is the writer, the expectation's schema the
 * reader). An expectation passes only when *every* message the producer's types allow is proven to
 * satisfy it — no producer code runs, and no example can stand in for the proof.
 *
 * The producer for an expectation is found as the runtime verifier finds it (provider/producers.ts):
 * its description, then `channel#messageName`, then `channel`. A key registered in several producers
 * maps is checked in each, since any of them may be the one running.
 */

import { assertServiceName } from '../contract/read-write.js'
import type { Expectation } from '../contract/types.js'
import type { JsonSchema } from '../json/types.js'
import { loadContracts, planFor } from '../provider/contracts.js'
import { producerKeys } from '../provider/producers.js'
import { checkCompatibility } from '../schema/compat/index.js'
import { extractProducers } from './extract.js'
import type {
  DerivedProducer,
  MessagePartName,
  StaticContractResult,
  StaticDifference,
  StaticExpectationResult,
  StaticReport,
  StaticVerifyOptions,
} from './types.js'

/**
 * Checks every expectation of every contract addressed to `options.provider` against the producers'
 * derived schemas. Resolves with the report (look at `report.success`); throws TreatyError when the
 * project cannot be loaded or holds no producers map.
 */
export async function verifyStatically(options: StaticVerifyOptions): Promise<StaticReport> {
  const started = performance.now()
  assertServiceName(options.provider, 'provider')
  const plan = planFor(options.provider, await loadContracts(options.contracts), undefined)
  const { producers } = extractProducers(options)
  const byKey = new Map<string, DerivedProducer[]>()
  for (const p of producers) byKey.set(p.key, [...(byKey.get(p.key) ?? []), p])

  const contracts: StaticContractResult[] = plan.contracts.map(({ contract, pending }) => ({
    consumer: contract.consumer,
    provider: contract.provider,
    pending,
    expectations: contract.expectations.map((e) => checkExpectation(e, byKey, pending)),
  }))
  const all = contracts.flatMap((c) => c.expectations)
  const summary = {
    total: all.length,
    passed: all.filter((e) => e.status === 'passed').length,
    failed: all.filter((e) => e.status === 'failed').length,
    pending: all.filter((e) => e.status === 'pending').length,
  }
  return {
    provider: options.provider,
    success: summary.total > 0 && summary.failed === 0,
    durationMs: Math.round(performance.now() - started),
    contracts,
    ignored: plan.ignored,
    producers,
    summary,
  }
}

/** The producers an expectation is checked against: those under the first of its keys that exists. */
export function producersFor(expectation: Expectation, byKey: ReadonlyMap<string, DerivedProducer[]>): DerivedProducer[] {
  for (const key of producerKeys(expectation)) {
    const found = byKey.get(key)
    if (found) return found
  }
  return []
}

function checkExpectation(
  expectation: Expectation,
  byKey: ReadonlyMap<string, DerivedProducer[]>,
  pending: boolean,
): StaticExpectationResult {
  const result: StaticExpectationResult = {
    description: expectation.description,
    channel: expectation.channel,
    status: 'passed',
    differences: [],
    diagnostics: [],
  }
  if (expectation.messageName !== undefined) result.messageName = expectation.messageName
  const producers = producersFor(expectation, byKey)
  if (producers.length === 0) {
    const known = [...byKey.keys()].sort().join(', ') || 'none'
    result.differences.push({
      part: 'payload',
      pointer: '',
      kind: 'NO_PRODUCER',
      message: `no producer for "${expectation.description}" (channel ${expectation.channel}); producers found: ${known}`,
    })
  }
  for (const producer of producers) {
    result.producer ??= { key: producer.key, ...producer.location }
    result.diagnostics.push(...producer.diagnostics)
    result.differences.push(...compare('payload', producer.payload, expectation.payload.schema))
    if (expectation.headers) result.differences.push(...compare('headers', producer.headers, expectation.headers.schema))
  }
  if (result.differences.length > 0 || result.diagnostics.length > 0) result.status = pending ? 'pending' : 'failed'
  return result
}

function compare(part: MessagePartName, writer: JsonSchema, reader: JsonSchema): StaticDifference[] {
  return checkCompatibility(writer, reader).differences.map((d) => ({ part, pointer: d.pointer, kind: d.kind, message: d.message }))
}
