/**
 * What every route adds to its wire schemas (@treaty/core/wire: request, response, the derived types): the
 * error answers, the OpenAPI tag and token level, and the guard enforcing that level. Route schemas validate
 * every request (the broker's first line of defence against bad input), serialize every response, and
 * generate /docs/openapi.json.
 */
import { errorSchema } from '@treaty/core/wire'
import type { preValidationHookHandler } from 'fastify'
import type { AccessLevel, TokenAuth } from '../auth.js'
import type { Metrics } from '../metrics.js'
import type { Store } from '../store/store.js'

export interface RouteDeps {
  store: Store
  auth: TokenAuth
  metrics: Metrics
}

/** Error responses every API route can give, plus the ones specific to it. */
export function errors(...statuses: number[]): Record<number, typeof errorSchema> {
  const out: Record<number, typeof errorSchema> = {}
  for (const s of [400, 401, 403, ...statuses]) out[s] = errorSchema
  return out
}

const LEVEL_TEXT: Record<AccessLevel, string> = {
  read: 'Needs a read, write or admin token when tokens are configured.',
  write: 'Needs a write or admin token when tokens are configured.',
  admin: 'Needs an admin token when tokens are configured.',
}

/**
 * The OpenAPI part of a protected route's schema: its tag, summary and token level, in one place with the
 * `onRequest` hook that enforces that level (see `guard`).
 */
export function doc(tag: string, level: AccessLevel, summary: string) {
  return { tags: [tag], summary, description: LEVEL_TEXT[level], security: [{ bearerAuth: [] }] }
}

export function guard(deps: RouteDeps, level: AccessLevel) {
  return deps.auth.require(level)
}

/** For routes whose body is optional: no body at all (`curl -X PUT …`) means `{}`, not "body must be object". */
export const emptyBodyIsEmptyObject: preValidationHookHandler = (request, _reply, done) => {
  request.body ??= {}
  done()
}
