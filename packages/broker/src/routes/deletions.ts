/** Admin deletion of a service or a version (store/deletions.ts), and the log of every deletion. */
import type { FastifyPluginAsync, FastifyRequest } from 'fastify'
import { serviceNameSchema, versionSchema } from '../names.js'
import type { Actor } from '../store/deletions.js'
import { dateTime, doc, errors, guard, type RouteDeps } from './schemas.js'

const deletion = {
  type: 'object',
  properties: {
    service: { type: 'string' },
    version: { type: ['string', 'null'] },
    deletedBy: { type: 'string' },
    tokenLevel: { type: 'string' },
    removed: { type: 'object', additionalProperties: { type: 'integer' }, description: 'rows removed, per table' },
    deletedAt: dateTime,
  },
} as const

const byQuery = {
  type: 'object',
  additionalProperties: false,
  properties: {
    by: { type: 'string', minLength: 1, maxLength: 200, description: 'who asks (logged); the CLI sends $USER or the CI actor' },
  },
} as const

export function deletionRoutes(deps: RouteDeps): FastifyPluginAsync {
  const actor = (request: FastifyRequest<{ Querystring: { by?: string } }>): Actor => {
    return {
      by: request.query.by ?? 'unnamed',
      // An open broker (no tokens configured) lets anyone delete: logged as such.
      tokenLevel: request.principal?.level ?? 'none',
      correlationId: request.id,
    }
  }
  return async (app) => {
    app.delete<{ Params: { name: string }; Querystring: { by?: string } }>(
      '/api/services/:name',
      {
        onRequest: guard(deps, 'admin'),
        schema: {
          ...doc('services', 'admin', 'Delete a service with its versions, contracts, verifications and deployments (logged)'),
          params: { type: 'object', required: ['name'], properties: { name: serviceNameSchema } },
          querystring: byQuery,
          response: { 200: deletion, ...errors(404) },
        },
      },
      async (request) => deps.store.deleteService(request.params.name, actor(request)),
    )

    app.delete<{ Params: { name: string; version: string }; Querystring: { by?: string } }>(
      '/api/services/:name/versions/:version',
      {
        onRequest: guard(deps, 'admin'),
        schema: {
          ...doc('services', 'admin', 'Delete one version with its contracts, verifications, deployments and provider schema (logged)'),
          params: { type: 'object', required: ['name', 'version'], properties: { name: serviceNameSchema, version: versionSchema } },
          querystring: byQuery,
          response: { 200: deletion, ...errors(404) },
        },
      },
      async (request) => deps.store.deleteVersion(request.params.name, request.params.version, actor(request)),
    )

    app.get(
      '/api/deletions',
      {
        onRequest: guard(deps, 'admin'),
        schema: {
          ...doc('services', 'admin', 'The deletion log, newest first: who deleted what, with which token level, when'),
          response: { 200: { type: 'object', properties: { deletions: { type: 'array', items: deletion } } }, ...errors() },
        },
      },
      async () => ({ deletions: await deps.store.listDeletions() }),
    )
  }
}
