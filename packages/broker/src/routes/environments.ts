/** Environments (admin creates them) and the deployments pipelines record into them. */
import type { FastifyPluginAsync } from 'fastify'
import { mayActFor } from '../auth.js'
import { environmentNameSchema, serviceNameSchema, versionSchema } from '../names.js'
import { dateTime, doc, emptyBodyIsEmptyObject, errors, guard, nullableDateTime, type RouteDeps } from './schemas.js'

const environment = {
  type: 'object',
  properties: { name: { type: 'string' }, production: { type: 'boolean' }, createdAt: dateTime, updatedAt: dateTime },
} as const

const deployment = {
  type: 'object',
  properties: {
    environment: { type: 'string' },
    service: { type: 'string' },
    version: { type: 'string' },
    deployedAt: dateTime,
    undeployedAt: nullableDateTime,
  },
} as const

const nameParams = { type: 'object', required: ['name'], properties: { name: environmentNameSchema } } as const

export function environmentRoutes(deps: RouteDeps): FastifyPluginAsync {
  return async (app) => {
    app.put<{ Params: { name: string }; Body: { production?: boolean } }>(
      '/api/environments/:name',
      {
        onRequest: guard(deps, 'admin'),
        preValidation: emptyBodyIsEmptyObject,
        schema: {
          ...doc('environments', 'admin', 'Create or update an environment; production left out keeps its value (false when new)'),
          params: nameParams,
          body: { type: 'object', additionalProperties: false, properties: { production: { type: 'boolean' } } },
          response: { 200: environment, 201: environment, ...errors(415) },
        },
      },
      async (request, reply) => {
        const { environment: env, created } = await deps.store.putEnvironment(request.params.name, request.body.production)
        return reply.status(created ? 201 : 200).send(env)
      },
    )

    app.get(
      '/api/environments',
      {
        onRequest: guard(deps, 'read'),
        schema: {
          ...doc('environments', 'read', 'Every environment'),
          response: { 200: { type: 'object', properties: { environments: { type: 'array', items: environment } } }, ...errors() },
        },
      },
      async () => ({ environments: await deps.store.listEnvironments() }),
    )

    app.post<{ Params: { name: string }; Body: { service: string; version: string } }>(
      '/api/environments/:name/deployments',
      {
        onRequest: guard(deps, 'write'),
        schema: {
          ...doc('environments', 'write', 'Record a deployment; the service’s previous deployment there becomes undeployed'),
          params: nameParams,
          body: {
            type: 'object',
            required: ['service', 'version'],
            additionalProperties: false,
            properties: { service: serviceNameSchema, version: versionSchema },
          },
          response: {
            201: {
              type: 'object',
              properties: {
                deployment,
                replaced: { type: ['string', 'null'], description: 'the version now undeployed' },
                changed: { type: 'boolean' },
              },
            },
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

    app.get<{ Params: { name: string }; Querystring: { history: boolean } }>(
      '/api/environments/:name/deployments',
      {
        onRequest: guard(deps, 'read'),
        schema: {
          ...doc('environments', 'read', 'What is deployed in the environment now (history=true: every deployment ever recorded)'),
          params: nameParams,
          querystring: { type: 'object', additionalProperties: false, properties: { history: { type: 'boolean', default: false } } },
          response: { 200: { type: 'object', properties: { deployments: { type: 'array', items: deployment } } }, ...errors(404) },
        },
      },
      async (request) => ({ deployments: await deps.store.listDeployments(request.params.name, request.query.history) }),
    )
  }
}
