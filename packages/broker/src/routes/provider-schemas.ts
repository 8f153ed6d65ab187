/** Provider schemas: a provider version publishes what it emits (derived from its types), for static can-i-deploy. */
import { assertValidSchema, isTreatyError } from '@treaty/core'
import {
  providerParamsSchema,
  providerSchemaQuerySchema,
  providerSchemaRequestSchema,
  providerSchemaResponseSchema,
  type Received,
  type Served,
  storedProviderSchemaSchema,
} from '@treaty/core/wire'
import type { FastifyPluginAsync } from 'fastify'
import { mayActFor, mayOverwrite } from '../auth.js'
import { BrokerError, BrokerErrorCodes } from '../errors.js'
import { assertSchemaBudget } from '../http/schema-budget.js'
import type { ProviderSchemaInput } from '../store/provider-schemas.js'
import { doc, errors, guard, type RouteDeps } from './schemas.js'

type PublishSchemaBody = Received<typeof providerSchemaRequestSchema>

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
    app.post<{
      Params: Received<typeof providerParamsSchema>
      Body: PublishSchemaBody
      Reply: Served<typeof providerSchemaResponseSchema>
    }>(
      '/api/providers/:provider/schemas',
      {
        onRequest: guard(deps, 'write'),
        schema: {
          ...doc('provider schemas', 'write', 'Publish the provider schema of a provider version (what it emits, per producer key)'),
          params: providerParamsSchema,
          body: providerSchemaRequestSchema,
          response: { 200: providerSchemaResponseSchema, 201: providerSchemaResponseSchema, ...errors(409, 413, 415) },
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

    app.get<{
      Params: Received<typeof providerParamsSchema>
      Querystring: Received<typeof providerSchemaQuerySchema>
      Reply: Served<typeof storedProviderSchemaSchema>
    }>(
      '/api/providers/:provider/schemas',
      {
        onRequest: guard(deps, 'read'),
        schema: {
          ...doc('provider schemas', 'read', 'The provider schema of a provider version (default: the latest that published one)'),
          params: providerParamsSchema,
          querystring: providerSchemaQuerySchema,
          response: { 200: storedProviderSchemaSchema, ...errors(404) },
        },
      },
      (request) => deps.store.getProviderSchema(request.params.provider, request.query.version),
    )
  }
}
