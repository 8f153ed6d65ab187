/** The rest of the deploy lifecycle: undeployments, releases and the end of their support (store/releases.ts). */

import {
  environmentParamsSchema,
  lifecycleResponseSchema,
  type Received,
  type Served,
  serviceVersionRequestSchema,
  undeploymentRequestSchema,
} from '@treaty/core/wire'
import type { FastifyPluginAsync } from 'fastify'
import { mayActFor } from '../auth.js'
import { doc, errors, guard, type RouteDeps } from './schemas.js'

type Params = Received<typeof environmentParamsSchema>
type Reply = Served<typeof lifecycleResponseSchema>

export function releaseRoutes(deps: RouteDeps): FastifyPluginAsync {
  return async (app) => {
    app.post<{ Params: Params; Body: Received<typeof undeploymentRequestSchema>; Reply: Reply }>(
      '/api/environments/:name/undeployments',
      {
        onRequest: guard(deps, 'write'),
        schema: {
          ...doc('environments', 'write', 'Record that the service’s deployed version left the environment'),
          params: environmentParamsSchema,
          body: undeploymentRequestSchema,
          response: { 200: lifecycleResponseSchema, ...errors(404, 415) },
        },
      },
      async (request) => {
        mayActFor(request.principal, 'record undeployments of', [{ service: request.body.service, path: 'body.service' }])
        return deps.store.recordUndeployment(request.params.name, request.body.service)
      },
    )

    app.post<{ Params: Params; Body: Received<typeof serviceVersionRequestSchema>; Reply: Reply }>(
      '/api/environments/:name/releases',
      {
        onRequest: guard(deps, 'write'),
        schema: {
          ...doc('environments', 'write', 'Record a released version (several can be live at once, e.g. mobile apps)'),
          params: environmentParamsSchema,
          body: serviceVersionRequestSchema,
          response: { 201: lifecycleResponseSchema, ...errors(404, 415) },
        },
      },
      async (request, reply) => {
        mayActFor(request.principal, 'record releases of', [{ service: request.body.service, path: 'body.service' }])
        const result = await deps.store.recordRelease(request.params.name, request.body.service, request.body.version)
        return reply.status(201).send(result)
      },
    )

    app.post<{ Params: Params; Body: Received<typeof serviceVersionRequestSchema>; Reply: Reply }>(
      '/api/environments/:name/support-ended',
      {
        onRequest: guard(deps, 'write'),
        schema: {
          ...doc('environments', 'write', 'Record that support for a released version ended: it no longer counts as live'),
          params: environmentParamsSchema,
          body: serviceVersionRequestSchema,
          response: { 200: lifecycleResponseSchema, ...errors(404, 415) },
        },
      },
      async (request) => {
        mayActFor(request.principal, 'record the end of support of', [{ service: request.body.service, path: 'body.service' }])
        return deps.store.recordSupportEnded(request.params.name, request.body.service, request.body.version)
      },
    )
  }
}
