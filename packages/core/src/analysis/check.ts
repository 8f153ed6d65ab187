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
import { loadContracts, planFor } from '../provider/contracts.js'
import { checkProducer, noProducer, producersFor, type StaticCheckDifference } from '../provider/static-check.js'
import { extractProducers } from './extract.js'
import type {
  DerivedProducer,
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

export { producersFor }

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
    result.differences.push(part(noProducer(expectation, byKey.keys())))
  }
  for (const producer of producers) {
    result.producer ??= { key: producer.key, ...producer.location }
    result.diagnostics.push(...producer.diagnostics)
    result.differences.push(...checkProducer(expectation, producer).map(part))
  }
  if (result.differences.length > 0 || result.diagnostics.length > 0) result.status = pending ? 'pending' : 'failed'
  return result
}

/** The static check's difference without the expectation's name (the report nests it under its expectation). */
function part({ expectation: _, ...d }: StaticCheckDifference): StaticDifference {
  return d
}
