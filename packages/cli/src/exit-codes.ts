/**
 * Exit codes, documented in `treaty --help` and the README, and the one table that gives every Treaty
 * error code its exit code. The table is typed by each package's code registry (type-only imports: the
 * broker and observe stay optional), so a code added anywhere fails the typecheck until it is named here.
 */

import type { BrokerErrorCode } from '@treaty/broker'
import { type ErrorCode, TreatyError, type TreatyErrorOptions } from '@treaty/core/client'
import type { ObserveErrorCode } from '@treaty/observe'

export const ExitCode = {
  /** Done; deployable; verification passed (pending failures only warn). */
  OK: 0,
  /** Verification failed, or not deployable. */
  FAILED: 1,
  /** Usage or configuration error: fix the command line, the config file or the contract files. */
  USAGE: 2,
  /** Broker unreachable, not a Treaty broker, or it rejected the credentials. */
  BROKER: 3,
  /** Internal error: a bug in treaty, never a verdict on the contracts. */
  INTERNAL: 4,
} as const

export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode]

export const EXIT_CODES_HELP =
  'Exit codes: 0 ok / deployable, 1 verification failed / not deployable, 2 usage or config error, 3 broker unreachable, not a Treaty broker or credentials rejected, 4 internal error'

/** Every error the CLI raises itself. */
export const CliErrorCodes = {
  /** The command line, the config file or a file it names is wrong; the hint says what to pass. */
  USAGE: 'TREATY_CLI_USAGE',
  /** `treaty broker`'s port is taken by another process. */
  PORT_IN_USE: 'TREATY_CLI_PORT_IN_USE',
} as const

export type CliErrorCode = (typeof CliErrorCodes)[keyof typeof CliErrorCodes]

const { USAGE, BROKER, FAILED, INTERNAL } = ExitCode

/** The one table: which exit code each error code means. */
export const EXIT_CODE_OF = {
  // core
  TREATY_CONTRACT_INVALID: USAGE,
  TREATY_CONTRACT_UNREADABLE: USAGE,
  TREATY_CONTRACT_VERSION_UNSUPPORTED: USAGE,
  TREATY_EXPECTATION_DUPLICATE: USAGE,
  TREATY_EXPECTATION_CHANNEL_MISSING: USAGE,
  TREATY_EXPECTATION_PAYLOAD_MISSING: USAGE,
  TREATY_HANDLER_FAILED: USAGE,
  TREATY_MATCHER_INVALID: USAGE,
  TREATY_SCHEMA_INVALID: USAGE,
  TREATY_EXAMPLE_INVALID: USAGE,
  TREATY_EXAMPLE_UNAVAILABLE: USAGE,
  TREATY_NAME_INVALID: USAGE,
  TREATY_CONTRACT_LOCK_TIMEOUT: USAGE,
  TREATY_PRUNE_WITHOUT_FRAGMENTS: USAGE,
  TREATY_VERIFY_FAILED: FAILED,
  TREATY_VERIFY_CONFIG_INVALID: USAGE,
  TREATY_BROKER_UNREACHABLE: BROKER,
  TREATY_BROKER_UNAUTHORIZED: BROKER,
  TREATY_BROKER_FORBIDDEN: BROKER,
  TREATY_BROKER_REJECTED: USAGE,
  TREATY_BROKER_FAILED: BROKER,
  TREATY_COMPAT_MODE_INVALID: USAGE,
  TREATY_ANALYSIS_CONFIG_INVALID: USAGE,
  TREATY_ANALYSIS_NO_PRODUCERS: USAGE,
  TREATY_ANALYSIS_CANNOT_DERIVE: USAGE,
  TREATY_ANALYSIS_PRODUCER_INVALID: USAGE,
  TREATY_INTEROP_DOCUMENT_INVALID: USAGE,
  TREATY_INTEROP_PROVIDER_UNKNOWN: USAGE,
  TREATY_INTEROP_UNSUPPORTED: USAGE,
  TREATY_DEPENDENCY_MISSING: USAGE,
  // broker, raised in this process by `treaty broker` (its HTTP answers reach the CLI as core's BROKER_* codes)
  TREATY_BROKER_VALIDATION: USAGE,
  TREATY_BROKER_CONTRACT_INVALID: USAGE,
  TREATY_BROKER_PROVIDER_SCHEMA_INVALID: USAGE,
  TREATY_BROKER_SELECTOR_INVALID: USAGE,
  TREATY_BROKER_HOST_NOT_ALLOWED: USAGE,
  TREATY_BROKER_ROUTE_NOT_FOUND: USAGE,
  TREATY_BROKER_SERVICE_NOT_FOUND: USAGE,
  TREATY_BROKER_VERSION_NOT_FOUND: USAGE,
  TREATY_BROKER_CONTRACT_NOT_FOUND: USAGE,
  TREATY_BROKER_CONTENT_NOT_FOUND: USAGE,
  TREATY_BROKER_ENVIRONMENT_NOT_FOUND: USAGE,
  TREATY_BROKER_DEPLOYMENT_NOT_FOUND: USAGE,
  TREATY_BROKER_WEBHOOK_NOT_FOUND: USAGE,
  TREATY_BROKER_PROVIDER_SCHEMA_NOT_FOUND: USAGE,
  TREATY_BROKER_CHANNEL_NOT_FOUND: USAGE,
  TREATY_BROKER_CONTRACT_CONFLICT: USAGE,
  TREATY_BROKER_STILL_DEPLOYED: USAGE,
  TREATY_BROKER_STILL_RETAINED: USAGE,
  TREATY_BROKER_PROVIDER_SCHEMA_CONFLICT: USAGE,
  TREATY_BROKER_BODY_TOO_LARGE: USAGE,
  TREATY_BROKER_UNSUPPORTED_MEDIA_TYPE: USAGE,
  TREATY_BROKER_BODY_INVALID_JSON: USAGE,
  TREATY_BROKER_BODY_UNSTORABLE_VALUE: USAGE,
  TREATY_BROKER_LIMIT_EXCEEDED: USAGE,
  TREATY_BROKER_STORE_UNAVAILABLE: USAGE,
  TREATY_BROKER_SHUTTING_DOWN: USAGE,
  TREATY_BROKER_INTERNAL: INTERNAL,
  TREATY_BROKER_CONFIG_INVALID: USAGE,
  TREATY_BROKER_DATA_DIR_LOCKED: USAGE,
  TREATY_BROKER_MIGRATION_MISMATCH: USAGE,
  // observe
  TREATY_OBSERVE_TRANSPORT_UNREACHABLE: USAGE,
  TREATY_OBSERVE_OPTIONS_INVALID: USAGE,
  TREATY_OBSERVE_STREAM_NOT_FOUND: USAGE,
  TREATY_OBSERVE_GUARD_REJECTED: USAGE,
  // cli
  TREATY_CLI_USAGE: USAGE,
  TREATY_CLI_PORT_IN_USE: USAGE,
} as const satisfies Record<ErrorCode | BrokerErrorCode | ObserveErrorCode | CliErrorCode, ExitCode>

export type KnownErrorCode = keyof typeof EXIT_CODE_OF

/** The exit code of an error code, or undefined for a code no Treaty package declares. */
export function exitCodeOf(code: string): ExitCode | undefined {
  return Object.hasOwn(EXIT_CODE_OF, code) ? EXIT_CODE_OF[code as KnownErrorCode] : undefined
}

/** A failure the CLI raises itself: printed as one line plus its hint, never a stack (unless --debug). */
export class CliError extends TreatyError<CliErrorCode> {
  constructor(message: string, hint?: string, options: Omit<TreatyErrorOptions, 'hint'> & { code?: CliErrorCode } = {}) {
    const { code = CliErrorCodes.USAGE, ...rest } = options
    super(code, message, { ...rest, ...(hint === undefined ? {} : { hint }) })
    this.name = 'CliError'
  }

  /** What the process exits with, from the one table. */
  get exitCode(): ExitCode {
    return EXIT_CODE_OF[this.code]
  }
}
