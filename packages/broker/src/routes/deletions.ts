/** Admin deletion of a service or a version (store/deletions.ts), and the log of every deletion. */

import {
  deletionQuerySchema,
  deletionSchema,
  deletionsResponseSchema,
  type Received,
  type Served,
  serviceParamsSchema,
  versionParamsSchema,
} from '@treaty/core/wire'
import type { FastifyPluginAsync, FastifyRequest } from 'fastify'
import type { Actor } from '../store/deletions.js'
import { doc, errors, guard, type RouteDeps } from './schemas.js'

type Query = Received<typeof deletionQuerySchema>
type Reply = Served<typeof deletionSchema>

export function deletionRoutes(deps: RouteDeps): FastifyPluginAsync {
  const actor = (request: FastifyRequest<{ Querystring: Query }>): Actor => {
    return {
      by: request.query.by ?? 'unnamed',
      // An open broker (no tokens configured) lets anyone delete: logged as such.
      tokenLevel: request.principal?.level ?? 'none',
      correlationId: request.id,
    }
  }
  return async (app) => {
    app.delete<{ Params: Received<typeof serviceParamsSchema>; Querystring: Query; Reply: Reply }>(
      '/api/services/:name',
      {
        onRequest: guard(deps, 'admin'),
        schema: {
          ...doc('services', 'admin', 'Delete a service with its versions, contracts, verifications and deployments (logged)'),
          params: serviceParamsSchema,
          querystring: deletionQuerySchema,
          response: { 200: deletionSchema, ...errors(404) },
        },
      },
      async (request) => deps.store.deleteService(request.params.name, actor(request)),
    )

    app.delete<{ Params: Received<typeof versionParamsSchema>; Querystring: Query; Reply: Reply }>(
      '/api/services/:name/versions/:version',
      {
        onRequest: guard(deps, 'admin'),
        schema: {
          ...doc('services', 'admin', 'Delete one version with its contracts, verifications, deployments and provider schema (logged)'),
          params: versionParamsSchema,
          querystring: deletionQuerySchema,
          response: { 200: deletionSchema, ...errors(404) },
        },
      },
      async (request) => deps.store.deleteVersion(request.params.name, request.params.version, actor(request)),
    )

    app.get<{ Reply: Served<typeof deletionsResponseSchema> }>(
      '/api/deletions',
      {
        onRequest: guard(deps, 'admin'),
        schema: {
          ...doc('services', 'admin', 'The deletion log, newest first: who deleted what, with which token level, when'),
          response: { 200: deletionsResponseSchema, ...errors() },
        },
      },
      async () => ({ deletions: await deps.store.listDeletions() }),
    )
  }
}
