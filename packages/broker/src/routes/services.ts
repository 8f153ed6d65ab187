/** Services: the list, one service in detail, and its main branch. */
import type { FastifyPluginAsync } from 'fastify'
import { mayActFor } from '../auth.js'
import { branchSchema, serviceNameSchema, versionSchema } from '../names.js'
import { dateTime, doc, emptyBodyIsEmptyObject, errors, guard, type RouteDeps, stringArray, verificationSummarySchema } from './schemas.js'

const integration = {
  type: 'object',
  properties: {
    service: { type: 'string' },
    consumerVersion: { type: 'string' },
    contentHash: { type: 'string' },
    publishedAt: dateTime,
    latestVerification: verificationSummarySchema,
  },
} as const

const serviceDetail = {
  type: 'object',
  properties: {
    name: { type: 'string' },
    mainBranch: { type: 'string' },
    createdAt: dateTime,
    versions: {
      type: 'array',
      items: { type: 'object', properties: { version: { type: 'string' }, branches: stringArray, tags: stringArray, createdAt: dateTime } },
    },
    branches: { type: 'array', items: { type: 'object', properties: { name: { type: 'string' }, latestVersion: { type: 'string' } } } },
    deployments: {
      type: 'array',
      items: { type: 'object', properties: { environment: { type: 'string' }, version: { type: 'string' }, deployedAt: dateTime } },
    },
    consumes: { type: 'array', description: 'providers this service consumes from: latest contract with each', items: integration },
    provides: { type: 'array', description: 'consumers of this service: latest contract of each', items: integration },
  },
} as const

const nameParams = { type: 'object', required: ['name'], properties: { name: serviceNameSchema } } as const

const versionParams = {
  type: 'object',
  required: ['name', 'version'],
  properties: { name: serviceNameSchema, version: versionSchema },
} as const

const versionCreated = {
  type: 'object',
  properties: { service: { type: 'string' }, version: { type: 'string' }, branches: stringArray, changed: { type: 'boolean' } },
} as const

export function serviceRoutes(deps: RouteDeps): FastifyPluginAsync {
  return async (app) => {
    app.get(
      '/api/services',
      {
        onRequest: guard(deps, 'read'),
        schema: {
          ...doc('services', 'read', 'Every service the broker knows'),
          response: {
            200: {
              type: 'object',
              properties: {
                services: {
                  type: 'array',
                  items: {
                    type: 'object',
                    properties: {
                      name: { type: 'string' },
                      mainBranch: { type: 'string' },
                      createdAt: dateTime,
                      latestVersion: { type: ['string', 'null'] },
                      versionCount: { type: 'integer' },
                    },
                  },
                },
              },
            },
            ...errors(),
          },
        },
      },
      async () => ({ services: await deps.store.listServices() }),
    )

    app.get<{ Params: { name: string }; Querystring: { versions: number } }>(
      '/api/services/:name',
      {
        onRequest: guard(deps, 'read'),
        schema: {
          ...doc('services', 'read', 'One service: versions, branches, deployments, the contracts it consumes and provides'),
          params: nameParams,
          querystring: {
            type: 'object',
            additionalProperties: false,
            properties: { versions: { type: 'integer', minimum: 1, maximum: 1000, default: 100, description: 'newest versions to list' } },
          },
          response: { 200: serviceDetail, ...errors(404) },
        },
      },
      async (request) => deps.store.getService(request.params.name, request.query.versions),
    )

    app.patch<{ Params: { name: string }; Body: { mainBranch: string } }>(
      '/api/services/:name',
      {
        onRequest: guard(deps, 'write'),
        schema: {
          ...doc('services', 'write', 'Set the service’s main branch (default main), used by the mainBranch selector and the pending rule'),
          params: nameParams,
          body: { type: 'object', required: ['mainBranch'], additionalProperties: false, properties: { mainBranch: branchSchema } },
          response: { 200: serviceDetail, ...errors(404, 415) },
        },
      },
      async (request) => {
        mayActFor(request.principal, 'set the main branch of', [{ service: request.params.name, path: 'params.name' }])
        await deps.store.setMainBranch(request.params.name, request.body.mainBranch)
        return deps.store.getService(request.params.name, 100)
      },
    )

    app.put<{ Params: { name: string; version: string }; Body: { branch?: string } }>(
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
          params: versionParams,
          body: { type: 'object', additionalProperties: false, properties: { branch: branchSchema } },
          response: { 200: versionCreated, 201: versionCreated, ...errors(415) },
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
