/** The rest of the deploy lifecycle: undeployments, releases and the end of their support (store/releases.ts). */
import type { FastifyPluginAsync } from 'fastify'
import { mayActFor } from '../auth.js'
import { environmentNameSchema, serviceNameSchema, versionSchema } from '../names.js'
import { doc, errors, guard, type RouteDeps } from './schemas.js'

const recorded = {
  type: 'object',
  properties: { environment: { type: 'string' }, service: { type: 'string' }, version: { type: 'string' }, changed: { type: 'boolean' } },
} as const

const nameParams = { type: 'object', required: ['name'], properties: { name: environmentNameSchema } } as const

const serviceVersionBody = {
  type: 'object',
  required: ['service', 'version'],
  additionalProperties: false,
  properties: { service: serviceNameSchema, version: versionSchema },
} as const

export function releaseRoutes(deps: RouteDeps): FastifyPluginAsync {
  return async (app) => {
    app.post<{ Params: { name: string }; Body: { service: string } }>(
      '/api/environments/:name/undeployments',
      {
        onRequest: guard(deps, 'write'),
        schema: {
          ...doc('environments', 'write', 'Record that the service’s deployed version left the environment'),
          params: nameParams,
          body: { type: 'object', required: ['service'], additionalProperties: false, properties: { service: serviceNameSchema } },
          response: { 200: recorded, ...errors(404, 415) },
        },
      },
      async (request) => {
        mayActFor(request.principal, 'record undeployments of', [{ service: request.body.service, path: 'body.service' }])
        return deps.store.recordUndeployment(request.params.name, request.body.service)
      },
    )

    app.post<{ Params: { name: string }; Body: { service: string; version: string } }>(
      '/api/environments/:name/releases',
      {
        onRequest: guard(deps, 'write'),
        schema: {
          ...doc('environments', 'write', 'Record a released version (several can be live at once, e.g. mobile apps)'),
          params: nameParams,
          body: serviceVersionBody,
          response: { 201: recorded, ...errors(404, 415) },
        },
      },
      async (request, reply) => {
        mayActFor(request.principal, 'record releases of', [{ service: request.body.service, path: 'body.service' }])
        const result = await deps.store.recordRelease(request.params.name, request.body.service, request.body.version)
        return reply.status(201).send(result)
      },
    )

    app.post<{ Params: { name: string }; Body: { service: string; version: string } }>(
      '/api/environments/:name/support-ended',
      {
        onRequest: guard(deps, 'write'),
        schema: {
          ...doc('environments', 'write', 'Record that support for a released version ended: it no longer counts as live'),
          params: nameParams,
          body: serviceVersionBody,
          response: { 200: recorded, ...errors(404, 415) },
        },
      },
      async (request) => {
        mayActFor(request.principal, 'record the end of support of', [{ service: request.body.service, path: 'body.service' }])
        return deps.store.recordSupportEnded(request.params.name, request.body.service, request.body.version)
      },
    )
  }
}
