/**
 * Every error the broker can raise, declared once with its HTTP status. Clients (and tests) switch on
 * `code`, never on message text; messages name the field and, where there is one, the fix. A BrokerError
 * is a TreatyError (one family): codes the client also raises come from core's registry, so they mean
 * the same there.
 */
import { ErrorCodes, TreatyError, type TreatyErrorOptions } from '@treaty/core'
import type { ErrorBody } from '@treaty/core/wire'

export const BrokerErrorCodes = {
  /** A request body, query or path parameter does not match the route schema (field in `path`). */
  VALIDATION: 'TREATY_BROKER_VALIDATION',
  /** A contract document in a publish request is not a valid contract (field in `path`). */
  CONTRACT_INVALID: 'TREATY_BROKER_CONTRACT_INVALID',
  /** A payload or headers schema in a published provider schema is not valid JSON Schema (field in `path`). */
  PROVIDER_SCHEMA_INVALID: 'TREATY_BROKER_PROVIDER_SCHEMA_INVALID',
  /** A selector in contracts-for-verification is incomplete or contradictory. */
  SELECTOR_INVALID: 'TREATY_BROKER_SELECTOR_INVALID',
  /** No bearer token, or one that matches no configured token (401). */
  UNAUTHORIZED: ErrorCodes.BROKER_UNAUTHORIZED,
  /** The token is valid but its level (read < write < admin) is too low for this endpoint (403). */
  FORBIDDEN: ErrorCodes.BROKER_FORBIDDEN,
  /** An open broker (no tokens) got a request for a host name it does not serve (DNS rebinding protection). */
  HOST_NOT_ALLOWED: 'TREATY_BROKER_HOST_NOT_ALLOWED',
  /** No route for this method and URL. */
  ROUTE_NOT_FOUND: ErrorCodes.BROKER_ROUTE_NOT_FOUND,
  SERVICE_NOT_FOUND: 'TREATY_BROKER_SERVICE_NOT_FOUND',
  VERSION_NOT_FOUND: 'TREATY_BROKER_VERSION_NOT_FOUND',
  CONTRACT_NOT_FOUND: 'TREATY_BROKER_CONTRACT_NOT_FOUND',
  /** A verification names a content hash the broker never stored, or one published for another provider. */
  CONTENT_NOT_FOUND: 'TREATY_BROKER_CONTENT_NOT_FOUND',
  ENVIRONMENT_NOT_FOUND: 'TREATY_BROKER_ENVIRONMENT_NOT_FOUND',
  /** Undeploying a service not deployed there, or ending support of a version not released there. */
  DEPLOYMENT_NOT_FOUND: 'TREATY_BROKER_DEPLOYMENT_NOT_FOUND',
  WEBHOOK_NOT_FOUND: 'TREATY_BROKER_WEBHOOK_NOT_FOUND',
  /** The provider (version) has published no provider schema. */
  PROVIDER_SCHEMA_NOT_FOUND: 'TREATY_BROKER_PROVIDER_SCHEMA_NOT_FOUND',
  /** No retention is known for the channel (declare it with `treaty channel set`, or `treaty channel sync`). */
  CHANNEL_NOT_FOUND: 'TREATY_BROKER_CHANNEL_NOT_FOUND',
  /** Different contract content for a consumer version and provider that already has content. */
  CONTRACT_CONFLICT: 'TREATY_BROKER_CONTRACT_CONFLICT',
  /** A deletion of a version an environment still runs (deployed, or released and supported). */
  STILL_DEPLOYED: 'TREATY_BROKER_STILL_DEPLOYED',
  /** A deletion of a version whose deployment ended so recently that a channel can still hold its messages. */
  STILL_RETAINED: 'TREATY_BROKER_STILL_RETAINED',
  /** A different provider schema for a provider version that already has one. */
  PROVIDER_SCHEMA_CONFLICT: 'TREATY_BROKER_PROVIDER_SCHEMA_CONFLICT',
  /** The request body is larger than the configured limit. */
  BODY_TOO_LARGE: 'TREATY_BROKER_BODY_TOO_LARGE',
  /** The request body is not `application/json`. */
  UNSUPPORTED_MEDIA_TYPE: 'TREATY_BROKER_UNSUPPORTED_MEDIA_TYPE',
  /** The request body is not parseable JSON. */
  BODY_INVALID_JSON: 'TREATY_BROKER_BODY_INVALID_JSON',
  /** A JSON value the broker cannot store unchanged: a number beyond double range, NUL, a lone surrogate (field in `path`). */
  BODY_UNSTORABLE_VALUE: 'TREATY_BROKER_BODY_UNSTORABLE_VALUE',
  /** The request is within the byte limit but over another named limit (nesting depth, distinct schemas, schema size). */
  LIMIT_EXCEEDED: 'TREATY_BROKER_LIMIT_EXCEEDED',
  /** The store (PGlite or PostgreSQL) cannot be reached or answered with an unexpected error. */
  STORE_UNAVAILABLE: 'TREATY_BROKER_STORE_UNAVAILABLE',
  /** The broker is shutting down and takes no new requests; retry against another instance. */
  SHUTTING_DOWN: 'TREATY_BROKER_SHUTTING_DOWN',
  /** Anything unexpected; details are in the broker log under the request's correlation id. */
  INTERNAL: 'TREATY_BROKER_INTERNAL',
  /** Start-up configuration (env, flags, options) is invalid. */
  CONFIG_INVALID: 'TREATY_BROKER_CONFIG_INVALID',
  /** Another broker process holds the embedded data directory. */
  DATA_DIR_LOCKED: 'TREATY_BROKER_DATA_DIR_LOCKED',
  /** The database schema was changed outside this broker's migrations, or is newer than this broker. */
  MIGRATION_MISMATCH: 'TREATY_BROKER_MIGRATION_MISMATCH',
} as const

export type BrokerErrorCode = (typeof BrokerErrorCodes)[keyof typeof BrokerErrorCodes]

const STATUS: Record<BrokerErrorCode, number> = {
  TREATY_BROKER_VALIDATION: 400,
  TREATY_BROKER_CONTRACT_INVALID: 400,
  TREATY_BROKER_PROVIDER_SCHEMA_INVALID: 400,
  TREATY_BROKER_SELECTOR_INVALID: 400,
  TREATY_BROKER_BODY_INVALID_JSON: 400,
  TREATY_BROKER_BODY_UNSTORABLE_VALUE: 400,
  TREATY_BROKER_LIMIT_EXCEEDED: 413,
  TREATY_BROKER_UNAUTHORIZED: 401,
  TREATY_BROKER_FORBIDDEN: 403,
  TREATY_BROKER_HOST_NOT_ALLOWED: 403,
  TREATY_BROKER_ROUTE_NOT_FOUND: 404,
  TREATY_BROKER_SERVICE_NOT_FOUND: 404,
  TREATY_BROKER_VERSION_NOT_FOUND: 404,
  TREATY_BROKER_CONTRACT_NOT_FOUND: 404,
  TREATY_BROKER_CONTENT_NOT_FOUND: 404,
  TREATY_BROKER_ENVIRONMENT_NOT_FOUND: 404,
  TREATY_BROKER_DEPLOYMENT_NOT_FOUND: 404,
  TREATY_BROKER_WEBHOOK_NOT_FOUND: 404,
  TREATY_BROKER_PROVIDER_SCHEMA_NOT_FOUND: 404,
  TREATY_BROKER_CHANNEL_NOT_FOUND: 404,
  TREATY_BROKER_CONTRACT_CONFLICT: 409,
  TREATY_BROKER_STILL_DEPLOYED: 409,
  TREATY_BROKER_STILL_RETAINED: 409,
  TREATY_BROKER_PROVIDER_SCHEMA_CONFLICT: 409,
  TREATY_BROKER_BODY_TOO_LARGE: 413,
  TREATY_BROKER_UNSUPPORTED_MEDIA_TYPE: 415,
  TREATY_BROKER_STORE_UNAVAILABLE: 503,
  TREATY_BROKER_SHUTTING_DOWN: 503,
  TREATY_BROKER_INTERNAL: 500,
  TREATY_BROKER_CONFIG_INVALID: 500,
  TREATY_BROKER_DATA_DIR_LOCKED: 500,
  TREATY_BROKER_MIGRATION_MISMATCH: 500,
}

export type BrokerErrorOptions = Omit<TreatyErrorOptions, 'details'>

export class BrokerError extends TreatyError<BrokerErrorCode> {
  readonly statusCode: number

  constructor(code: BrokerErrorCode, message: string, options: BrokerErrorOptions = {}) {
    super(code, message, options)
    this.name = 'BrokerError'
    this.statusCode = STATUS[code]
  }
}

export function isBrokerError(err: unknown, code?: BrokerErrorCode): err is BrokerError {
  return err instanceof BrokerError && (code === undefined || err.code === code)
}

/** The one error shape every endpoint answers with (@treaty/core/wire's errorSchema). */
export type { ErrorBody }

export function errorBody(err: BrokerError): ErrorBody {
  return {
    error: { code: err.code, message: err.message, ...(err.path ? { path: err.path } : {}), ...(err.hint ? { hint: err.hint } : {}) },
  }
}
