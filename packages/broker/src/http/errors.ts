/**
 * Turns anything thrown while answering a request into a BrokerError, so every error response has the one
 * shape `{ error: { code, message, path?, hint? } }`. Unexpected errors become a 500 whose message points at the
 * log line (by correlation id); stacks, SQL and secrets never reach the response.
 */
import { childPointer, pointerToPath, preview } from '@treaty/core'
import { BrokerError, BrokerErrorCodes } from '../errors.js'
import { PATTERN_DESCRIPTIONS } from '../names.js'
import { isUnavailable } from '../store/database.js'

interface AjvError {
  keyword: string
  instancePath: string
  params: Record<string, unknown>
  message?: string
  data?: unknown
}

interface FrameworkError {
  code?: string
  statusCode?: number
  validation?: AjvError[]
  validationContext?: string
  message?: string
}

const CONTEXT_NAMES: Record<string, string> = { body: 'body', querystring: 'query', params: 'params', headers: 'headers' }

/** `/contracts/0/consumer` under `body` → `body.contracts[0].consumer`. */
export function fieldPath(context: string, pointer: string): string {
  return pointerToPath(pointer, CONTEXT_NAMES[context] ?? context)
}

/** What the request sent, short: a 60-character preview keeps one error on one line. */
const found = (value: unknown) => preview(value, 60)

export function validationError(errors: AjvError[], context: string): BrokerError {
  const e = errors[0]!
  let path = fieldPath(context, e.instancePath)
  let message: string
  switch (e.keyword) {
    case 'required':
      path = fieldPath(context, childPointer(e.instancePath, String(e.params.missingProperty)))
      message = `${path} is required`
      break
    case 'additionalProperties':
      path = fieldPath(context, childPointer(e.instancePath, String(e.params.additionalProperty)))
      message = `${path} is not a known field; check its spelling against the API documentation (/docs/openapi.json)`
      break
    case 'pattern': {
      const what = PATTERN_DESCRIPTIONS[String(e.params.pattern)] ?? `a string matching ${String(e.params.pattern)}`
      message = `${path} must be ${what}; found ${found(e.data)}`
      break
    }
    case 'enum':
      message = `${path} must be one of ${(e.params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')}; found ${found(e.data)}`
      break
    default:
      message = `${path} ${e.message ?? 'is invalid'}${e.data === undefined ? '' : `; found ${found(e.data)}`}`
  }
  return new BrokerError(BrokerErrorCodes.VALIDATION, message, { path })
}

export function toBrokerError(err: unknown, correlationId: string, bodyLimit: number): BrokerError {
  if (err instanceof BrokerError) return err
  const e = (err ?? {}) as FrameworkError
  if (Array.isArray(e.validation) && e.validation.length > 0) return validationError(e.validation, e.validationContext ?? 'body')
  switch (e.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return new BrokerError(
        BrokerErrorCodes.BODY_TOO_LARGE,
        `the request body is larger than this broker accepts (${bodyLimit} bytes; TREATY_BODY_LIMIT raises it)`,
      )
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return new BrokerError(
        BrokerErrorCodes.UNSUPPORTED_MEDIA_TYPE,
        'send the request body as JSON, with "Content-Type: application/json"',
        {
          path: 'headers.content-type',
        },
      )
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return new BrokerError(BrokerErrorCodes.BODY_INVALID_JSON, 'the body is empty but Content-Type says JSON; send a JSON object', {
        path: 'body',
      })
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
      return new BrokerError(BrokerErrorCodes.BODY_INVALID_JSON, 'the body is not valid JSON', { path: 'body' })
  }
  if (isUnavailable(err)) {
    return new BrokerError(BrokerErrorCodes.STORE_UNAVAILABLE, 'the broker cannot reach its database right now; retry shortly', {
      cause: err,
    })
  }
  if (err instanceof SyntaxError || (e.statusCode === 400 && typeof e.code !== 'string')) {
    // JSON.parse failures and prototype-poisoning rejections from the body parser.
    return new BrokerError(BrokerErrorCodes.BODY_INVALID_JSON, 'the body is not valid JSON, or uses a forbidden key (__proto__)', {
      path: 'body',
    })
  }
  if (typeof e.statusCode === 'number' && e.statusCode >= 400 && e.statusCode < 500) {
    return new BrokerError(BrokerErrorCodes.VALIDATION, e.message ?? 'the request is invalid')
  }
  return new BrokerError(
    BrokerErrorCodes.INTERNAL,
    `the broker failed unexpectedly; its log has the details under correlation id ${correlationId}`,
    { cause: err },
  )
}
