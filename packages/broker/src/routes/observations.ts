/** Observations: `treaty observe` publishes what live traffic it checked, as `observed` evidence. */
import type { FastifyPluginAsync } from 'fastify'
import { mayActFor } from '../auth.js'
import { CONTENT_HASH_PATTERN, environmentNameSchema, serviceNameSchema, versionSchema } from '../names.js'
import type { ObservationInput } from '../store/observations.js'
import { dateTime, doc, errors, guard, type RouteDeps } from './schemas.js'

const count = { type: 'integer', minimum: 0, maximum: Number.MAX_SAFE_INTEGER } as const
const short = (maxLength: number) => ({ type: 'string', maxLength }) as const

const observationSchema = {
  type: 'object',
  required: ['provider', 'providerVersion', 'consumer', 'consumerVersion', 'contentHash', 'channel', 'messages', 'mismatches', 'pointers'],
  additionalProperties: false,
  properties: {
    provider: serviceNameSchema,
    providerVersion: versionSchema,
    consumer: serviceNameSchema,
    consumerVersion: versionSchema,
    contentHash: { type: 'string', pattern: CONTENT_HASH_PATTERN },
    channel: { type: 'string', minLength: 1, maxLength: 500 },
    messages: count,
    mismatches: count,
    pointers: {
      type: 'array',
      maxItems: 20,
      items: {
        type: 'object',
        required: ['pointer', 'expected', 'count'],
        additionalProperties: false,
        properties: { pointer: short(1000), expected: short(1000), count },
      },
    },
    example: {
      type: 'object',
      required: ['subject', 'headers', 'preview', 'at'],
      additionalProperties: false,
      properties: {
        subject: short(1000),
        headers: { type: 'object', maxProperties: 51, additionalProperties: short(1000) },
        preview: short(2000),
        at: dateTime,
      },
    },
  },
} as const

const body = {
  type: 'object',
  required: ['runId', 'environment', 'observations'],
  additionalProperties: false,
  properties: {
    runId: { type: 'string', minLength: 1, maxLength: 100, pattern: '^[A-Za-z0-9._:-]+$' },
    environment: environmentNameSchema,
    observations: { type: 'array', minItems: 1, maxItems: 500, items: observationSchema },
  },
} as const

export function observationRoutes(deps: RouteDeps): FastifyPluginAsync {
  return async (app) => {
    app.post<{ Body: ObservationInput }>(
      '/api/observations',
      {
        onRequest: guard(deps, 'write'),
        schema: {
          ...doc('observations', 'write', "Record a run's cumulative totals of live traffic checked against deployed consumers' contracts"),
          body,
          response: { 200: { type: 'object', properties: { recorded: { type: 'integer' } } }, ...errors(404, 413, 415) },
        },
      },
      async (request) => {
        const providers = request.body.observations.map((o, i) => ({ service: o.provider, path: `body.observations[${i}].provider` }))
        mayActFor(request.principal, 'record observations of provider', providers)
        return deps.store.recordObservations(request.body)
      },
    )
  }
}
