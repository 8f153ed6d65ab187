/** Provider schemas: a provider version publishes what it emits (derived from its types), for static can-i-deploy. */
import { assertValidSchema, isTreatyError } from '@treaty/core'
import type { FastifyPluginAsync } from 'fastify'
import { mayActFor, mayOverwrite } from '../auth.js'
import type { ProviderSchemaProducer } from '../domain/types.js'
import { BrokerError, BrokerErrorCodes } from '../errors.js'
import { assertSchemaBudget } from '../http/schema-budget.js'
import { branchSchema, serviceNameSchema, versionSchema } from '../names.js'
import type { ProviderSchemaInput, StoredProviderSchema } from '../store/provider-schemas.js'
import { dateTime, doc, errors, guard, type RouteDeps, stringArray } from './schemas.js'

interface PublishSchemaBody {
  providerVersion: string
  branch?: string
  producers: ProviderSchemaProducer[]
  overwrite?: boolean
}

// anyOf rather than a type array: fastify's ajv runs in strict mode and warns on union types at every start.
const jsonSchema = {
  anyOf: [{ type: 'object', additionalProperties: true }, { type: 'boolean' }],
  description: 'a JSON Schema 2020-12',
} as const

const producerSchema = {
  type: 'object',
  required: ['key', 'payload', 'headers'],
  additionalProperties: false,
  properties: {
    key: { type: 'string', minLength: 1, maxLength: 500, description: 'an expectation description, `channel#messageName` or a channel' },
    channel: { type: 'string', minLength: 1, maxLength: 500 },
    payload: jsonSchema,
    headers: jsonSchema,
  },
} as const

const publishBody = {
  type: 'object',
  required: ['providerVersion', 'producers'],
  additionalProperties: false,
  properties: {
    providerVersion: versionSchema,
    branch: branchSchema,
    producers: { type: 'array', maxItems: 5000, items: producerSchema },
    overwrite: { type: 'boolean', description: 'replace a different provider schema already published for this provider version' },
  },
} as const

const publishResponse = {
  type: 'object',
  properties: {
    status: { type: 'string', enum: ['created', 'unchanged', 'overwritten'] },
    provider: { type: 'string' },
    providerVersion: { type: 'string' },
    contentHash: { type: 'string' },
  },
} as const

const storedSchema = {
  type: 'object',
  properties: {
    provider: { type: 'string' },
    providerVersion: { type: 'string' },
    contentHash: { type: 'string' },
    publishedAt: dateTime,
    branches: stringArray,
    producers: { type: 'array', items: producerSchema },
  },
} as const

const params = { type: 'object', required: ['provider'], properties: { provider: serviceNameSchema } } as const

/** Every payload and headers schema must be valid JSON Schema: can-i-deploy compares them later. */
export function validateProviderSchema(provider: string, body: PublishSchemaBody): ProviderSchemaInput {
  assertSchemaBudget(
    body.producers.flatMap((p, i) =>
      (['payload', 'headers'] as const).map((part) => ({ schema: p[part], path: `body.producers[${i}].${part}` })),
    ),
  )
  body.producers.forEach((p, i) => {
    for (const part of ['payload', 'headers'] as const) {
      const path = `body.producers[${i}].${part}`
      try {
        assertValidSchema(p[part], path)
      } catch (err) {
        if (!isTreatyError(err)) throw err
        throw new BrokerError(BrokerErrorCodes.PROVIDER_SCHEMA_INVALID, err.message, {
          path: err.path ?? path,
          ...(err.hint ? { hint: err.hint } : {}),
          cause: err,
        })
      }
    }
  })
  return {
    provider,
    providerVersion: body.providerVersion,
    ...(body.branch === undefined ? {} : { branch: body.branch }),
    producers: body.producers,
    overwrite: body.overwrite === true,
  }
}

export function providerSchemaRoutes(deps: RouteDeps): FastifyPluginAsync {
  return async (app) => {
    app.post<{ Params: { provider: string }; Body: PublishSchemaBody }>(
      '/api/providers/:provider/schemas',
      {
        onRequest: guard(deps, 'write'),
        schema: {
          ...doc('provider schemas', 'write', 'Publish the provider schema of a provider version (what it emits, per producer key)'),
          params,
          body: publishBody,
          response: { 200: publishResponse, 201: publishResponse, ...errors(409, 413, 415) },
        },
      },
      async (request, reply) => {
        mayActFor(request.principal, 'publish provider schemas as provider', [
          { service: request.params.provider, path: 'params.provider' },
        ])
        mayOverwrite(request.principal, request.body.overwrite, 'body.overwrite')
        const input = validateProviderSchema(request.params.provider, request.body)
        const result = await deps.store.publishProviderSchema(input)
        return reply.status(result.status === 'unchanged' ? 200 : 201).send(result)
      },
    )

    app.get<{ Params: { provider: string }; Querystring: { version?: string } }>(
      '/api/providers/:provider/schemas',
      {
        onRequest: guard(deps, 'read'),
        schema: {
          ...doc('provider schemas', 'read', 'The provider schema of a provider version (default: the latest that published one)'),
          params,
          querystring: { type: 'object', additionalProperties: false, properties: { version: versionSchema } },
          response: { 200: storedSchema, ...errors(404) },
        },
      },
      (request): Promise<StoredProviderSchema> => deps.store.getProviderSchema(request.params.provider, request.query.version),
    )
  }
}
