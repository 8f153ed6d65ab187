/**
 * Every error @treaty/observe raises, declared once. Tests assert `code`, never message text. An
 * ObserveError is a TreatyError (one family); the CLI's exit-code table names each of these codes.
 */
import { TreatyError, type TreatyErrorOptions } from '@treaty/core'

export const ObserveErrorCodes = {
  /** The message transport (NATS, RabbitMQ) could not be reached at start. */
  TRANSPORT_UNREACHABLE: 'TREATY_OBSERVE_TRANSPORT_UNREACHABLE',
  /** An option is missing or contradictory (no transport, both --service and --all, a bad --sample …). */
  OPTIONS_INVALID: 'TREATY_OBSERVE_OPTIONS_INVALID',
  /** `--from-stream` names a stream the server does not have. */
  STREAM_NOT_FOUND: 'TREATY_OBSERVE_STREAM_NOT_FOUND',
  /** The guard rejected an outgoing message (mode `reject`): a deployed consumer would not accept it. */
  GUARD_REJECTED: 'TREATY_OBSERVE_GUARD_REJECTED',
} as const

export type ObserveErrorCode = (typeof ObserveErrorCodes)[keyof typeof ObserveErrorCodes]

export class ObserveError extends TreatyError<ObserveErrorCode> {
  constructor(code: ObserveErrorCode, message: string, options: Omit<TreatyErrorOptions, 'path'> = {}) {
    super(code, message, options)
    this.name = 'ObserveError'
  }
}

export function isObserveError(err: unknown, code?: ObserveErrorCode): err is ObserveError {
  return err instanceof ObserveError && (code === undefined || err.code === code)
}
