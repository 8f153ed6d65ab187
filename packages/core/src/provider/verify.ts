/**
 * Verification: every expectation of every contract addressed to the provider is replayed — states
 * set up, the producer called, its message's JSON round trip validated against the expectation's
 * schemas, states torn down. Nothing passes silently: a missing producer or state is a failure.
 *
 * Pending contracts (a flag the broker sets on contracts a provider has not yet verified) are run and
 * reported like any other, but their failures have status `pending` and do not fail the run.
 */
import { availableParallelism } from 'node:os'
import { assertServiceName } from '../contract/read-write.js'
import type { Expectation, ProviderState } from '../contract/types.js'
import { ErrorCodes, TreatyError } from '../errors.js'
import { preview } from '../json/preview.js'
import type { JsonSchema } from '../json/types.js'
import { issuesOf } from '../schema/interpret.js'
import { type ContractPlan, loadContracts, type PlannedContract, planFor } from './contracts.js'
import {
  errorDetails,
  location,
  noProducerMismatch,
  notJsonMismatch,
  schemaMismatches,
  threwMismatch,
  unknownStateMismatch,
  type Where,
} from './mismatch.js'
import { callsUserCode } from './own-frames.js'
import { mapBounded } from './pool.js'
import { type ProducerLookup, producerLookup } from './producers.js'
import { buildReport } from './report.js'
import { type StateFailure, StateRunner } from './states.js'
import { callWithin } from './timeout.js'
import type {
  ContractResult,
  ExpectationResult,
  MessagePartName,
  Mismatch,
  ProducerInput,
  StateParams,
  VerificationReport,
  VerifyLogger,
  VerifyOptions,
} from './types.js'
import { throughJson, type WireResult } from './wire.js'

callsUserCode(import.meta.url)

const DEFAULT_TIMEOUT_MS = 10_000

export type VerifierOptions = Omit<VerifyOptions, 'contracts' | 'concurrency'>

/** Verifies one expectation at a time; shared by `verifyContracts` and the vitest integration. */
export class Verifier {
  readonly provider: string
  readonly #producers: ProducerLookup
  readonly #states: StateRunner
  readonly #timeoutMs: number
  readonly #logger: VerifyLogger | undefined

  constructor(options: VerifierOptions) {
    if (options === null || typeof options !== 'object') {
      throw new TreatyError(ErrorCodes.VERIFY_CONFIG_INVALID, 'verification needs options: { provider, contracts, producers }')
    }
    assertServiceName(options.provider, 'provider')
    const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS
    if (!(timeoutMs > 0)) {
      throw new TreatyError(ErrorCodes.VERIFY_CONFIG_INVALID, `timeoutMs must be a number > 0 (got ${timeoutMs})`, { path: 'timeoutMs' })
    }
    if (options.producers === undefined) {
      throw new TreatyError(ErrorCodes.VERIFY_CONFIG_INVALID, 'producers are missing: nothing can build the messages to verify', {
        path: 'producers',
        hint: "pass producers: { 'pdf.requested': async ({ params }) => ({ payload: … }) }",
      })
    }
    this.provider = options.provider
    this.#producers = producerLookup(options.producers)
    this.#states = new StateRunner(options.states, timeoutMs)
    this.#timeoutMs = timeoutMs
    this.#logger = options.logger
  }

  plan(contracts: readonly PlannedContract[]): ContractPlan {
    return planFor(this.provider, contracts, this.#logger)
  }

  /** Notes at debug level the producers no expectation used (a renamed channel, often). */
  noteUnusedProducers(): void {
    if (!this.#logger) return
    for (const key of this.#producers.unused()) this.#logger.debug(`treaty: producer \`${key}\` matched no expectation`)
  }

  /**
   * Verifies one expectation; whatever the producer or a state does becomes a mismatch, never a throw
   * (a schema ajv cannot compile, possible only in a contract that skipped parseContract, does throw).
   * Answers synchronously when it can (states and a producer that answer synchronously, no lock held):
   * each `async` layer or `await` per expectation shows in bench/verify — interleaved in one process,
   * this build verified at about 58% of raw ajv where an all-async build reached about 50%.
   */
  verify(planned: PlannedContract, expectation: Expectation): ExpectationResult | Promise<ExpectationResult> {
    const started = performance.now()
    const mismatches: Mismatch[] = []
    const states = expectation.providerStates ?? []
    const producer = this.#producers.find(expectation)
    if (!producer) mismatches.push(noProducerMismatch(whereOf(planned, expectation), expectation.channel, this.#producers.known))
    for (const state of this.#states.unknown(states)) {
      mismatches.push(unknownStateMismatch(whereOf(planned, expectation), state, this.#states.known))
    }
    if (!producer || mismatches.length > 0) return result(planned, expectation, mismatches, started)
    const input = producerInput(states, expectation, planned.contract.consumer)
    const produce = () => this.#produceAndCheck(planned, expectation, () => producer(input), mismatches)
    if (states.length > 0) return this.#withStates(planned, expectation, states, produce, mismatches, started)
    const later = produce()
    return later ? later.then(() => result(planned, expectation, mismatches, started)) : result(planned, expectation, mismatches, started)
  }

  #withStates(
    planned: PlannedContract,
    expectation: Expectation,
    states: readonly ProviderState[],
    produce: () => Promise<void> | undefined,
    mismatches: Mismatch[],
    started: number,
  ): ExpectationResult | Promise<ExpectationResult> {
    const settle = (failures: StateFailure[]) => {
      for (const f of failures) {
        const kind = f.phase === 'setup' ? 'setup-failed' : 'teardown-failed'
        mismatches.push(threwMismatch(whereOf(planned, expectation), kind, f.error, f.state))
      }
      return result(planned, expectation, mismatches, started)
    }
    const failures = this.#states.around(states, produce)
    return failures instanceof Promise ? failures.then(settle) : settle(failures)
  }

  /** Calls the producer and checks its message; returns a promise only when the producer did. */
  #produceAndCheck(
    planned: PlannedContract,
    expectation: Expectation,
    produce: () => unknown,
    mismatches: Mismatch[],
  ): Promise<void> | undefined {
    const failed = (error: unknown) => {
      mismatches.push(threwMismatch(whereOf(planned, expectation), 'producer-failed', error))
    }
    let produced: unknown
    try {
      produced = callWithin(produce, this.#timeoutMs, expectation.description, 'the producer for')
    } catch (error) {
      failed(error)
      return undefined
    }
    if (produced instanceof Promise) return produced.then((message) => checkMessage(planned, expectation, message, mismatches), failed)
    checkMessage(planned, expectation, produced, mismatches)
    return undefined
  }
}

function whereOf(planned: PlannedContract, expectation: Expectation): Where {
  return { consumer: planned.contract.consumer, provider: planned.contract.provider, expectation: expectation.description }
}

function result(planned: PlannedContract, expectation: Expectation, mismatches: Mismatch[], started: number): ExpectationResult {
  const out: ExpectationResult = {
    description: expectation.description,
    channel: expectation.channel,
    status: mismatches.length === 0 ? 'passed' : planned.pending ? 'pending' : 'failed',
    durationMs: Math.round((performance.now() - started) * 1000) / 1000,
    mismatches,
  }
  if (expectation.messageName !== undefined) out.messageName = expectation.messageName
  return out
}

function checkMessage(planned: PlannedContract, expectation: Expectation, message: unknown, mismatches: Mismatch[]): void {
  const isObject = message !== null && typeof message === 'object' && !Array.isArray(message)
  if (!isObject || !('payload' in message)) {
    // An object without `payload` is most likely the message itself, returned where { payload: message } was meant.
    const returned = isObject ? `${preview(message)}, with no \`payload\`` : preview(message)
    mismatches.push(
      notJsonMismatch(whereOf(planned, expectation), `the producer returned ${returned}; it must return { payload, headers? }`),
    )
    return
  }
  const { payload, headers } = message as { payload?: unknown; headers?: unknown }
  check(planned, expectation, 'payload', expectation.payload.schema, payload, mismatches)
  // A consumer that relies on no header has no headers schema; absent headers are the empty set.
  if (expectation.headers)
    check(planned, expectation, 'headers', expectation.headers.schema, headers === undefined ? {} : headers, mismatches)
}

function check(
  planned: PlannedContract,
  expectation: Expectation,
  part: MessagePartName,
  schema: JsonSchema,
  value: unknown,
  mismatches: Mismatch[],
): void {
  let wire: WireResult
  try {
    wire = throughJson(value)
  } catch (error) {
    // A getter or toJSON of the producer's value threw: JSON.stringify would throw too.
    const where = whereOf(planned, expectation)
    mismatches.push(notJsonMismatch(where, `${part} cannot be turned into JSON: ${errorDetails(error).message}`, part))
    return
  }
  if (!wire.ok) {
    mismatches.push(notJsonMismatch(whereOf(planned, expectation), `${location(part, wire.pointer)} ${wire.problem}`, part, wire.pointer))
    return
  }
  const issues = issuesOf(schema, wire.value)
  if (issues.length > 0) mismatches.push(...schemaMismatches(whereOf(planned, expectation), part, issues, wire.value, schema))
}

const NO_PARAMS: StateParams = Object.freeze({})

function producerInput(states: readonly ProviderState[], expectation: Expectation, consumer: string): ProducerInput {
  let params = NO_PARAMS
  if (states.length === 1) params = { ...states[0]!.params }
  else if (states.length > 1) params = Object.assign({}, ...states.map((s) => s.params))
  return { state: states[0]?.name, states, params, expectation, consumer }
}

/**
 * Verifies every contract addressed to `options.provider`. Resolves with the report (it does not
 * throw on failed expectations: look at `report.success`); throws TreatyError on unusable options.
 */
export async function verifyContracts(options: VerifyOptions): Promise<VerificationReport> {
  const started = performance.now()
  const verifier = new Verifier(options)
  const concurrency = options.concurrency ?? availableParallelism()
  if (!Number.isInteger(concurrency) || concurrency < 1) {
    throw new TreatyError(ErrorCodes.VERIFY_CONFIG_INVALID, `concurrency must be a whole number >= 1 (got ${concurrency})`, {
      path: 'concurrency',
    })
  }
  const plan = verifier.plan(await loadContracts(options.contracts))
  // Two flat lists rather than a job object per expectation: fewer objects for the collector to move.
  const owners: PlannedContract[] = []
  const expectations: Expectation[] = []
  for (const planned of plan.contracts) {
    for (const expectation of planned.contract.expectations) {
      owners.push(planned)
      expectations.push(expectation)
    }
  }
  const onProgress = options.onProgress
  const total = expectations.length
  let finished = 0
  const results = await mapBounded(total, concurrency, (i) => {
    const result = verifier.verify(owners[i]!, expectations[i]!)
    if (!onProgress) return result
    const report = (r: ExpectationResult) => {
      onProgress(++finished, total, r)
      return r
    }
    return result instanceof Promise ? result.then(report) : report(result)
  })
  verifier.noteUnusedProducers()
  let next = 0
  const contracts = plan.contracts.map(({ contract, pending, contentHash, consumerVersion, consumerBranch }) => {
    const result: ContractResult = {
      consumer: contract.consumer,
      provider: contract.provider,
      pending,
      expectations: contract.expectations.map(() => results[next++]!),
    }
    if (contentHash !== undefined) result.contentHash = contentHash
    if (consumerVersion !== undefined) result.consumerVersion = consumerVersion
    if (consumerBranch !== undefined) result.consumerBranch = consumerBranch
    return result
  })
  return buildReport(options.provider, contracts, plan.ignored, performance.now() - started)
}
