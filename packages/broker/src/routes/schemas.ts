/**
 * Schema fragments shared by the routes. Route schemas validate every request (the broker's first line of
 * defence against bad input), serialize every response, and generate /docs/openapi.json: one source.
 */
import type { preValidationHookHandler } from 'fastify'
import type { AccessLevel, TokenAuth } from '../auth.js'
import type { Metrics } from '../metrics.js'
import type { Store } from '../store/store.js'

export interface RouteDeps {
  store: Store
  auth: TokenAuth
  metrics: Metrics
}

export const errorSchema = {
  type: 'object',
  description:
    'Every error: a stable code (TREATY_BROKER_*), a message naming the field, the field path, and a hint that says how to fix it.',
  required: ['error'],
  properties: {
    error: {
      type: 'object',
      required: ['code', 'message'],
      properties: { code: { type: 'string' }, message: { type: 'string' }, path: { type: 'string' }, hint: { type: 'string' } },
    },
  },
} as const

/** Error responses every API route can give, plus the ones specific to it. */
export function errors(...statuses: number[]): Record<number, typeof errorSchema> {
  const out: Record<number, typeof errorSchema> = {}
  for (const s of [400, 401, 403, ...statuses]) out[s] = errorSchema
  return out
}

export const dateTime = { type: 'string', format: 'date-time' } as const
export const nullableDateTime = { type: ['string', 'null'], format: 'date-time' } as const
export const stringArray = { type: 'array', items: { type: 'string' } } as const

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

export const contractDocumentSchema = {
  type: 'object',
  description: 'A contract document in the @treaty/core format (canonical form)',
  additionalProperties: true,
} as const

export const verificationSummarySchema = {
  type: ['object', 'null'],
  required: ['providerVersion', 'success', 'verifiedAt'],
  properties: { providerVersion: { type: 'string' }, success: { type: 'boolean' }, verifiedAt: dateTime },
} as const

export const matrixRowProperties = {
  consumer: { type: 'string' },
  consumerVersion: { type: 'string' },
  provider: { type: 'string' },
  providerVersion: { type: ['string', 'null'] },
  contentHash: { type: 'string' },
  verification: verificationSummarySchema,
  observed: {
    type: 'object',
    description: 'What `treaty observe` saw the provider version send, checked against this content (absent when never observed)',
    properties: {
      messages: { type: 'integer' },
      mismatches: { type: 'integer' },
      environments: stringArray,
      rejected: {
        type: 'array',
        items: {
          type: 'object',
          properties: {
            channel: { type: 'string' },
            mismatches: { type: 'integer' },
            messages: { type: 'integer' },
            pointers: stringArray,
          },
        },
      },
      effect: { type: 'string', enum: ['block', 'warn', 'none'] },
      lastSeenAt: dateTime,
    },
  },
} as const

/** A contract as the broker stores it: the document and where it was published from (contracts and pairs routes). */
export const storedContractSchema = {
  type: 'object',
  properties: {
    consumer: { type: 'string' },
    consumerVersion: { type: 'string' },
    provider: { type: 'string' },
    contentHash: { type: 'string' },
    publishedAt: dateTime,
    branches: stringArray,
    contract: contractDocumentSchema,
  },
} as const
