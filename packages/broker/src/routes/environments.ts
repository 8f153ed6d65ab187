/** Environments (admin creates them) and the deployments pipelines record into them. */

import {
  deploymentRecordedSchema,
  deploymentsQuerySchema,
  deploymentsResponseSchema,
  environmentParamsSchema,
  environmentSchema,
  environmentsResponseSchema,
  putEnvironmentRequestSchema,
  type Received,
  type Served,
  serviceVersionRequestSchema,
} from '@treaty/core/wire'
import type { FastifyPluginAsync } from 'fastify'
import { mayActFor } from '../auth.js'
import { doc, emptyBodyIsEmptyObject, errors, guard, type RouteDeps } from './schemas.js'

type Params = Received<typeof environmentParamsSchema>

export function environmentRoutes(deps: RouteDeps): FastifyPluginAsync {
  return async (app) => {
    app.put<{ Params: Params; Body: Received<typeof putEnvironmentRequestSchema>; Reply: Served<typeof environmentSchema> }>(
      '/api/environments/:name',
      {
        onRequest: guard(deps, 'admin'),
        preValidation: emptyBodyIsEmptyObject,
        schema: {
          ...doc('environments', 'admin', 'Create or update an environment; production left out keeps its value (false when new)'),
          params: environmentParamsSchema,
          body: putEnvironmentRequestSchema,
          response: { 200: environmentSchema, 201: environmentSchema, ...errors(415) },
        },
      },
      async (request, reply) => {
        const { environment: env, created } = await deps.store.putEnvironment(request.params.name, request.body.production)
        return reply.status(created ? 201 : 200).send(env)
      },
    )

    app.get<{ Reply: Served<typeof environmentsResponseSchema> }>(
      '/api/environments',
      {
        onRequest: guard(deps, 'read'),
        schema: {
          ...doc('environments', 'read', 'Every environment'),
          response: { 200: environmentsResponseSchema, ...errors() },
        },
      },
      async () => ({ environments: await deps.store.listEnvironments() }),
    )

    app.post<{ Params: Params; Body: Received<typeof serviceVersionRequestSchema>; Reply: Served<typeof deploymentRecordedSchema> }>(
      '/api/environments/:name/deployments',
      {
        onRequest: guard(deps, 'write'),
        schema: {
          ...doc('environments', 'write', 'Record a deployment; the service’s previous deployment there becomes undeployed'),
          params: environmentParamsSchema,
          body: serviceVersionRequestSchema,
          response: {
            201: deploymentRecordedSchema,
            ...errors(404, 415),
          },
        },
      },
      async (request, reply) => {
        mayActFor(request.principal, 'record deployments of', [{ service: request.body.service, path: 'body.service' }])
        const result = await deps.store.recordDeployment(request.params.name, request.body.service, request.body.version, request.id)
        return reply.status(201).send(result)
      },
    )

    app.get<{
      Params: Params
      Querystring: Received<typeof deploymentsQuerySchema>
      Reply: Served<typeof deploymentsResponseSchema>
    }>(
      '/api/environments/:name/deployments',
      {
        onRequest: guard(deps, 'read'),
        schema: {
          ...doc('environments', 'read', 'What is deployed in the environment now (history=true: every deployment ever recorded)'),
          params: environmentParamsSchema,
          querystring: deploymentsQuerySchema,
          response: { 200: deploymentsResponseSchema, ...errors(404) },
        },
      },
      async (request) => ({ deployments: await deps.store.listDeployments(request.params.name, request.query.history) }),
    )
  }
}
