/** Observations: `treaty observe` publishes what live traffic it checked, as `observed` evidence. */

import { observationsRequestSchema, observationsResponseSchema, type Received, type Served } from '@treaty/core/wire'
import type { FastifyPluginAsync } from 'fastify'
import { mayActFor } from '../auth.js'
import { doc, errors, guard, type RouteDeps } from './schemas.js'

export function observationRoutes(deps: RouteDeps): FastifyPluginAsync {
  return async (app) => {
    app.post<{ Body: Received<typeof observationsRequestSchema>; Reply: Served<typeof observationsResponseSchema> }>(
      '/api/observations',
      {
        onRequest: guard(deps, 'write'),
        schema: {
          ...doc('observations', 'write', "Record a run's cumulative totals of live traffic checked against deployed consumers' contracts"),
          body: observationsRequestSchema,
          response: { 200: observationsResponseSchema, ...errors(404, 413, 415) },
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
