/**
 * The one error family. `TreatyError` is the base of every error Treaty raises: core's, the broker's
 * (`BrokerError`), observe's (`ObserveError`) and the CLI's (`CliError`). Each package declares its codes
 * once, in one registry, as `TREATY_<AREA>_<WHAT>`; a code means one thing in every package. Tests assert
 * `err.code`, never message text. The message names the field; `path` holds it (`expectations[2].channel`,
 * rendered by json/pointer.ts `pointerToPath`), and `hint` the fix, as a field of its own: never glued into
 * the message, so the CLI, the broker's error bodies and logs each show it their way.
 *
 * Below: every error @treaty/core raises.
 */
export const ErrorCodes = {
  /** A contract document does not follow the contract format (field named in `path`). */
  CONTRACT_INVALID: 'TREATY_CONTRACT_INVALID',
  /** A contract file cannot be read or is not JSON. */
  CONTRACT_UNREADABLE: 'TREATY_CONTRACT_UNREADABLE',
  /** A contract file was written by a newer format version than this library reads. */
  CONTRACT_VERSION_UNSUPPORTED: 'TREATY_CONTRACT_VERSION_UNSUPPORTED',
  /** Two expectations share a description but differ in content. */
  EXPECTATION_DUPLICATE: 'TREATY_EXPECTATION_DUPLICATE',
  /** An expectation was declared without a channel (`.on(...)`). */
  EXPECTATION_CHANNEL_MISSING: 'TREATY_EXPECTATION_CHANNEL_MISSING',
  /** An expectation was declared without a payload. */
  EXPECTATION_PAYLOAD_MISSING: 'TREATY_EXPECTATION_PAYLOAD_MISSING',
  /** The consumer's handler threw on the example or on a generated variant. */
  HANDLER_FAILED: 'TREATY_HANDLER_FAILED',
  /** A matcher's own example contradicts its constraints, or its options are contradictory. */
  MATCHER_INVALID: 'TREATY_MATCHER_INVALID',
  /** A raw JSON Schema is not valid JSON Schema 2020-12. */
  SCHEMA_INVALID: 'TREATY_SCHEMA_INVALID',
  /** An example does not validate against its schema. */
  EXAMPLE_INVALID: 'TREATY_EXAMPLE_INVALID',
  /** No example could be generated from a schema (e.g. contradictory constraints). */
  EXAMPLE_UNAVAILABLE: 'TREATY_EXAMPLE_UNAVAILABLE',
  /** A name (service, channel) is empty or contains characters that are unsafe in file names. */
  NAME_INVALID: 'TREATY_NAME_INVALID',
  /** The contract writer could not take its lock in time. */
  CONTRACT_LOCK_TIMEOUT: 'TREATY_CONTRACT_LOCK_TIMEOUT',
  /** A contract cannot be pruned: no run of any test file is recorded for it, so pruning would empty it. */
  PRUNE_WITHOUT_FRAGMENTS: 'TREATY_PRUNE_WITHOUT_FRAGMENTS',
  /** A provider verification failed (thrown by `contractTests`, one per failing expectation). */
  VERIFY_FAILED: 'TREATY_VERIFY_FAILED',
  /** Verification was asked for with an unusable setup (e.g. producers missing). */
  VERIFY_CONFIG_INVALID: 'TREATY_VERIFY_CONFIG_INVALID',
  /** The broker could not be reached (connection refused, DNS, timeout). */
  BROKER_UNREACHABLE: 'TREATY_BROKER_UNREACHABLE',
  /** The broker answered 401: no token, or one it does not accept. The broker raises the same code. */
  BROKER_UNAUTHORIZED: 'TREATY_BROKER_UNAUTHORIZED',
  /** The broker answered 403: the token is valid but its level is too low. The broker raises the same code. */
  BROKER_FORBIDDEN: 'TREATY_BROKER_FORBIDDEN',
  /** The broker has no route for the method and path asked (404); the client then names the URL to check. The broker raises it. */
  BROKER_ROUTE_NOT_FOUND: 'TREATY_BROKER_ROUTE_NOT_FOUND',
  /** The broker rejected the request (any other 4xx); `details.status` and `details.brokerCode` say why. */
  BROKER_REJECTED: 'TREATY_BROKER_REJECTED',
  /** The broker failed (5xx) or answered something that is not its API. */
  BROKER_FAILED: 'TREATY_BROKER_FAILED',
  /** An unknown compatibility mode (see EVOLUTION_MODES). */
  COMPAT_MODE_INVALID: 'TREATY_COMPAT_MODE_INVALID',
  /** Static analysis was asked for with an unusable setup (no tsconfig or files, a file missing, strictNullChecks off). */
  ANALYSIS_CONFIG_INVALID: 'TREATY_ANALYSIS_CONFIG_INVALID',
  /** Static analysis found no producers map in the files it searched. */
  ANALYSIS_NO_PRODUCERS: 'TREATY_ANALYSIS_NO_PRODUCERS',
  /** Diagnostic code: a TypeScript type has no faithful JSON Schema (function, bigint, any, …); names file:line. */
  ANALYSIS_CANNOT_DERIVE: 'TREATY_ANALYSIS_CANNOT_DERIVE',
  /** Diagnostic code: an entry of a producers map is not a function that returns `{ payload, headers? }`. */
  ANALYSIS_PRODUCER_INVALID: 'TREATY_ANALYSIS_PRODUCER_INVALID',
  /** An AsyncAPI document or a pact file does not parse or is not valid (the parser's first error and its path). */
  INTEROP_DOCUMENT_INVALID: 'TREATY_INTEROP_DOCUMENT_INVALID',
  /** An imported receive operation names no provider (`--provider`, or `x-treaty-provider` on it or its channel). */
  INTEROP_PROVIDER_UNKNOWN: 'TREATY_INTEROP_PROVIDER_UNKNOWN',
  /** Something in an imported or exported document has no faithful translation (path and reason in the message). */
  INTEROP_UNSUPPORTED: 'TREATY_INTEROP_UNSUPPORTED',
  /** An optional peer dependency a feature needs (ts-morph, json-schema-to-typescript, @treaty/broker) is not installed. */
  DEPENDENCY_MISSING: 'TREATY_DEPENDENCY_MISSING',
} as const

export type ErrorCode = (typeof ErrorCodes)[keyof typeof ErrorCodes]

export interface TreatyErrorOptions {
  /** The offending field as a path (`expectations[2].channel`, `body.contracts[0].consumer`), when there is one. */
  path?: string
  /** One line that tells the user how to fix it. */
  hint?: string
  cause?: unknown
  /** Structured details for machines (e.g. the variant that failed). */
  details?: Record<string, unknown>
}

/** The base of every Treaty error; `C` is the package's code registry (core's by default). */
export class TreatyError<C extends string = ErrorCode> extends Error {
  readonly code: C
  readonly path: string | undefined
  readonly hint: string | undefined
  readonly details: Record<string, unknown> | undefined

  constructor(code: C, message: string, options: TreatyErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause })
    this.name = 'TreatyError'
    this.code = code
    this.path = options.path
    this.hint = options.hint
    this.details = options.details
  }
}

/**
 * `error` with its hint at the end of its message (and of its stack's first lines), when it is a TreatyError whose
 * message lacks it: for errors a test runner reports. vitest's default reporter prints an error's name, message
 * and stack, not its other fields, so a consumer test's author would never see the hint. Returns `error` itself.
 */
export function withHintShown<E>(error: E): E {
  if (!(error instanceof TreatyError) || !error.hint || error.message.includes(error.hint)) return error
  const header = `${error.name}: ${error.message}`
  error.message += `\n  hint: ${error.hint}`
  if (typeof error.stack === 'string' && error.stack.startsWith(header)) {
    error.stack = `${error.name}: ${error.message}${error.stack.slice(header.length)}`
  }
  return error
}

/** Any Treaty error (of any package), or one with exactly `code`. */
export function isTreatyError<C extends string>(err: unknown, code: C): err is TreatyError<C>
export function isTreatyError(err: unknown): err is TreatyError<string>
export function isTreatyError(err: unknown, code?: string): boolean {
  return err instanceof TreatyError && (code === undefined || err.code === code)
}
