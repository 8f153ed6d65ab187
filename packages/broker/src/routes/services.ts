/** Services: the list, one service in detail, and its main branch. */

import {
  createVersionRequestSchema,
  mainBranchRequestSchema,
  type Received,
  type Served,
  serviceDetailSchema,
  serviceParamsSchema,
  serviceQuerySchema,
  servicesResponseSchema,
  versionCreatedSchema,
  versionParamsSchema,
} from '@treaty/core/wire'
import type { FastifyPluginAsync } from 'fastify'
import { mayActFor } from '../auth.js'
import { doc, emptyBodyIsEmptyObject, errors, guard, type RouteDeps } from './schemas.js'

export function serviceRoutes(deps: RouteDeps): FastifyPluginAsync {
  return async (app) => {
    app.get<{ Reply: Served<typeof servicesResponseSchema> }>(
      '/api/services',
      {
        onRequest: guard(deps, 'read'),
        schema: {
          ...doc('services', 'read', 'Every service the broker knows'),
          response: {
            200: servicesResponseSchema,
            ...errors(),
          },
        },
      },
      async () => ({ services: await deps.store.listServices() }),
    )

    app.get<{
      Params: Received<typeof serviceParamsSchema>
      Querystring: Received<typeof serviceQuerySchema>
      Reply: Served<typeof serviceDetailSchema>
    }>(
      '/api/services/:name',
      {
        onRequest: guard(deps, 'read'),
        schema: {
          ...doc('services', 'read', 'One service: versions, branches, deployments, the contracts it consumes and provides'),
          params: serviceParamsSchema,
          querystring: serviceQuerySchema,
          response: { 200: serviceDetailSchema, ...errors(404) },
        },
      },
      async (request) => deps.store.getService(request.params.name, request.query.versions),
    )

    app.patch<{
      Params: Received<typeof serviceParamsSchema>
      Body: Received<typeof mainBranchRequestSchema>
      Reply: Served<typeof serviceDetailSchema>
    }>(
      '/api/services/:name',
      {
        onRequest: guard(deps, 'write'),
        schema: {
          ...doc('services', 'write', 'Set the service’s main branch (default main), used by the mainBranch selector and the pending rule'),
          params: serviceParamsSchema,
          body: mainBranchRequestSchema,
          response: { 200: serviceDetailSchema, ...errors(404, 415) },
        },
      },
      async (request) => {
        mayActFor(request.principal, 'set the main branch of', [{ service: request.params.name, path: 'params.name' }])
        await deps.store.setMainBranch(request.params.name, request.body.mainBranch)
        return deps.store.getService(request.params.name, 100)
      },
    )

    app.put<{
      Params: Received<typeof versionParamsSchema>
      Body: Received<typeof createVersionRequestSchema>
      Reply: Served<typeof versionCreatedSchema>
    }>(
      '/api/services/:name/versions/:version',
      {
        onRequest: guard(deps, 'write'),
        preValidation: emptyBodyIsEmptyObject,
        schema: {
          ...doc(
            'services',
            'write',
            'Create a service version (and the service) if new, adding the branch if given (Pact’s create-or-update-version): a provider nobody consumes yet can then record deployments. 201 when something was created, 200 when it was all there.',
          ),
          params: versionParamsSchema,
          body: createVersionRequestSchema,
          response: { 200: versionCreatedSchema, 201: versionCreatedSchema, ...errors(415) },
        },
      },
      async (request, reply) => {
        mayActFor(request.principal, 'register a version of', [{ service: request.params.name, path: 'params.name' }])
        const created = await deps.store.createVersion({
          service: request.params.name,
          version: request.params.version,
          branch: request.body.branch,
        })
        return reply.status(created.changed ? 201 : 200).send(created)
      },
    )
  }
}
