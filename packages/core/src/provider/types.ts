/** Public types of the provider side: what a provider passes to `verifyContracts`, and what it gets back. */
import type { Contract, Expectation, ProviderState } from '../contract/types.js'
import type { JsonValue } from '../json/types.js'

/** Parameters of a provider state, as the consumer declared them with `.given(name, params)`. */
export type StateParams = Readonly<Record<string, JsonValue>>

/**
 * What a producer is called with, for one expectation.
 *
 * - `state`: the name of the expectation's first provider state (`undefined` when it has none);
 *   `states` lists all of them, in the order the consumer declared them, with their params.
 * - `params`: the params of every state merged into one object (a later state's param wins).
 * - `expectation`: the expectation being verified (read it, do not change it).
 * - `consumer`: the service whose contract this is.
 */
export interface ProducerInput {
  readonly state: string | undefined
  readonly states: readonly ProviderState[]
  readonly params: StateParams
  readonly expectation: Readonly<Expectation>
  readonly consumer: string
}

/** The message a producer builds: what the provider's code would publish. Both parts travel as JSON. */
export interface ProducedMessage {
  payload: unknown
  headers?: Readonly<Record<string, unknown>>
}

/** Builds the real message for an expectation, with the provider's own code. */
export type Producer = (input: ProducerInput) => ProducedMessage | Promise<ProducedMessage>

/**
 * Producers by key. For each expectation the first key that exists wins:
 * its exact description, then `channel#messageName`, then `channel`.
 */
export type Producers = Readonly<Record<string, Producer>>

/** Sets up a provider state. May return a cleanup function, which runs as (part of) the teardown. */
export type StateSetup = (params: StateParams) => unknown

export interface StateHandler {
  setup?: StateSetup
  /** Runs after the producer, whatever happened (also when setup or the producer failed). */
  teardown?: (params: StateParams) => unknown
  /**
   * Expectations that share a state run one at a time, from its setup to its teardown, so one
   * expectation's teardown never pulls the data from under another's producer. Set `true` when the
   * state's setup and teardown can overlap with themselves (e.g. they only touch per-params data).
   */
  parallelSafe?: boolean
}

/** Provider states by name: a setup function, or `{ setup, teardown, parallelSafe }`. */
export type StateHandlers = Readonly<Record<string, StateSetup | StateHandler>>

/**
 * A contract to verify, with what the broker says about it. The broker client's
 * `ContractForVerification` fits as is.
 */
export interface ContractToVerify {
  contract: Contract
  /** Failures are reported (status `pending`) but do not fail the run. */
  pending?: boolean
  /** The broker's content hash of the contract; echoed in the result, for publishing it. */
  contentHash?: string
  /** The consumer version(s) that published this content, shown in reports so two contracts can be told apart. */
  consumerVersion?: string
  /** Their branch(es). */
  consumerBranch?: string
}

export type ContractInput = Contract | ContractToVerify

/**
 * Contracts in memory (or a promise of them), or the directory consumer tests write them into: every
 * `*.json` directly inside, in file-name order; a relative path is relative to the working directory.
 */
export type ContractSource = string | URL | readonly ContractInput[] | PromiseLike<readonly ContractInput[]>

/** Receives debug notes (e.g. contracts skipped because they are for another provider). pino and console fit. */
export interface VerifyLogger {
  debug(message: string): void
}

export interface VerifyOptions {
  /** The service being verified; contracts addressed to other providers are skipped. */
  provider: string
  contracts: ContractSource
  producers: Producers
  states?: StateHandlers
  /** Most expectations verified at once (default: `os.availableParallelism()`). */
  concurrency?: number
  /** Longest a producer, a setup or a teardown may take, in ms (default 10,000). */
  timeoutMs?: number
  /** Where debug notes go (default: nowhere). */
  logger?: VerifyLogger
  /** Called as each expectation finishes (for progress displays); `done` counts up to `total`. */
  onProgress?: (done: number, total: number, result: ExpectationResult) => void
}

export type ExpectationStatus = 'passed' | 'failed' | 'pending'

/** Fields every mismatch carries, so a mismatch read on its own still says where it comes from. */
interface MismatchBase {
  consumer: string
  provider: string
  /** The expectation's description. */
  expectation: string
  /** One line, for logs and lists. */
  message: string
}

/** The produced message does not satisfy the expectation's schema. */
export interface SchemaMismatch extends MismatchBase {
  kind: 'schema'
  part: MessagePartName
  /** JSON pointer into the part, `''` for the part itself (`/items/0/qty`). */
  pointer: string
  /** The JSON Schema keyword that failed (`type`, `required`, `minimum`, …). */
  keyword: string
  /** What the contract asks for, in words (`integer >= 1`). */
  expected: string
  /** What was produced at `pointer`, as JSON, truncated; absent when nothing was there. */
  actual?: string
  /** The property concerned, for `required` and `additionalProperties`. */
  property?: string
}

/** What the producer returned cannot travel as JSON (BigInt, function, cycle, …) or is not a message. */
export interface NotJsonMismatch extends MismatchBase {
  kind: 'not-json'
  part?: MessagePartName
  pointer?: string
}

export interface NoProducerMismatch extends MismatchBase {
  kind: 'no-producer'
  channel: string
  /** Every key in `producers`. */
  known: string[]
}

export interface UnknownStateMismatch extends MismatchBase {
  kind: 'unknown-state'
  state: string
  /** Every state name in `states`. */
  known: string[]
}

export interface ErrorDetails {
  name: string
  message: string
  stack?: string
}

/** The producer, or a state's setup or teardown, threw or timed out. */
export interface ThrewMismatch extends MismatchBase {
  kind: 'producer-failed' | 'setup-failed' | 'teardown-failed'
  /** The state concerned, for setup and teardown. */
  state?: string
  error: ErrorDetails
}

export type Mismatch = SchemaMismatch | NotJsonMismatch | NoProducerMismatch | UnknownStateMismatch | ThrewMismatch

export type MessagePartName = 'payload' | 'headers'

export interface ExpectationResult {
  description: string
  channel: string
  messageName?: string
  /** `pending`: it failed, but its contract is pending, so the run does not fail. */
  status: ExpectationStatus
  durationMs: number
  mismatches: Mismatch[]
}

export interface ContractResult {
  consumer: string
  provider: string
  pending: boolean
  /** As given with the contract (`ContractToVerify.contentHash`). */
  contentHash?: string
  /** As given with the contract (`ContractToVerify.consumerVersion`, `consumerBranch`). */
  consumerVersion?: string
  consumerBranch?: string
  expectations: ExpectationResult[]
}

export interface VerificationReport {
  provider: string
  /** True when no expectation failed and at least one was verified. */
  success: boolean
  durationMs: number
  /** In the order the contracts were given; expectations in contract order. */
  contracts: ContractResult[]
  /** Contracts skipped because they are addressed to another provider. */
  ignored: { consumer: string; provider: string }[]
  summary: { total: number; passed: number; failed: number; pending: number }
}
