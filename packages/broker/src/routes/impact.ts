/** Impact: which consumer versions a provider change breaks, field by field, before it ships. */
import type { ImpactReport, ImpactRequest } from '@treaty/core/client'
import type { FastifyPluginAsync } from 'fastify'
import { impactCandidates, impactOf } from '../domain/impact.js'
import type { ProviderSchemaProducer } from '../domain/types.js'
import { BrokerError, BrokerErrorCodes } from '../errors.js'
import { CONTENT_HASH_PATTERN, environmentNameSchema, serviceNameSchema, versionSchema } from '../names.js'
import { environmentNotFound } from '../store/environments.js'
import { fieldUsageItem } from './channels.js'
import { validateProviderSchema } from './provider-schemas.js'
import { doc, errors, guard, type RouteDeps, stringArray } from './schemas.js'

const jsonSchema = { anyOf: [{ type: 'object', additionalProperties: true }, { type: 'boolean' }] } as const

const impactBody = {
  type: 'object',
  additionalProperties: false,
  properties: {
    producers: {
      type: 'array',
      maxItems: 5000,
      items: {
        type: 'object',
        required: ['key', 'payload', 'headers'],
        additionalProperties: false,
        properties: {
          key: { type: 'string', minLength: 1, maxLength: 500 },
          channel: { type: 'string', minLength: 1, maxLength: 500 },
          payload: jsonSchema,
          headers: jsonSchema,
        },
      },
      description: 'what the provider would send after the change (a provider schema)',
    },
    version: { ...versionSchema, description: 'use the provider schema this provider version published instead' },
    replay: {
      type: 'array',
      maxItems: 5000,
      description: 'or: what replaying each contract content against the changed producers found (treaty impact --producers)',
      items: {
        type: 'object',
        required: ['contentHash', 'differences'],
        additionalProperties: false,
        properties: {
          contentHash: { type: 'string', pattern: CONTENT_HASH_PATTERN },
          differences: {
            type: 'array',
            maxItems: 10_000,
            items: {
              type: 'object',
              required: ['expectation', 'part', 'pointer', 'kind', 'message'],
              additionalProperties: false,
              properties: {
                expectation: { type: 'string', maxLength: 2000 },
                part: { type: 'string', enum: ['payload', 'headers'] },
                pointer: { type: 'string', maxLength: 2000 },
                kind: { type: 'string', minLength: 1, maxLength: 100 },
                message: { type: 'string', maxLength: 5000 },
              },
            },
          },
        },
      },
    },
    environments: { type: 'array', maxItems: 100, items: environmentNameSchema },
  },
} as const

const consumerRef = {
  type: 'object',
  properties: { consumer: { type: 'string' }, version: { type: 'string' }, environments: stringArray, mainBranch: { type: 'boolean' } },
} as const

const impactResponse = {
  type: 'object',
  properties: {
    provider: { type: 'string' },
    breaksDeployed: { type: 'boolean' },
    findings: {
      type: 'array',
      items: {
        type: 'object',
        properties: {
          channel: { type: 'string' },
          part: { type: 'string' },
          pointer: { type: 'string' },
          kind: { type: 'string' },
          change: { type: 'string' },
          message: { type: 'string' },
          summary: { type: 'string' },
          breaks: { type: 'array', items: consumerRef },
          unaffected: stringArray,
          breaksDeployed: { type: 'boolean' },
        },
      },
    },
    consumers: { type: 'array', items: consumerRef },
    usage: { type: 'array', items: fieldUsageItem },
  },
} as const

export function impactRoutes(deps: RouteDeps): FastifyPluginAsync {
  return async (app) => {
    app.post<{ Params: { provider: string }; Body: ImpactRequest }>(
      '/api/providers/:provider/impact',
      {
        onRequest: guard(deps, 'read'),
        schema: {
          ...doc('deploy', 'read', 'Which consumer versions (main branches and deployed) a change of the provider would break, per field'),
          params: { type: 'object', required: ['provider'], properties: { provider: serviceNameSchema } },
          body: impactBody,
          response: { 200: impactResponse, ...errors(404, 413, 415) },
        },
      },
      async (request): Promise<ImpactReport> => {
        const { provider } = request.params
        const body = request.body
        const sources = [body.producers, body.version, body.replay].filter((x) => x !== undefined).length
        if (sources !== 1) {
          throw new BrokerError(
            BrokerErrorCodes.VALIDATION,
            'give exactly one of body.producers (a provider schema), body.version and body.replay',
            {
              path: body.producers === undefined ? 'body.producers' : body.version === undefined ? 'body.replay' : 'body.version',
            },
          )
        }
        let producers: ProviderSchemaProducer[] | undefined
        if (body.producers !== undefined) {
          producers = validateProviderSchema(provider, { providerVersion: 'proposed', producers: body.producers }).producers
        } else if (body.version !== undefined) {
          producers = (await deps.store.getProviderSchema(provider, body.version)).producers
        }
        const replayed = body.replay && new Map(body.replay.map((r) => [r.contentHash, r.differences]))
        await deps.store.getService(provider, 1)
        const environments = body.environments ?? []
        const candidates = await deps.store.loadVerificationCandidates(provider, [], environments)
        const unknown = environments.find((e) => !candidates.knownEnvironments.includes(e))
        if (unknown !== undefined) throw environmentNotFound(unknown)
        const expectations = await deps.store.loadExpectations([...new Set(candidates.publications.map((p) => p.contentHash))])
        const consumers = impactCandidates(candidates.publications, expectations)
        return impactOf({ provider, ...(replayed ? { replayed } : { producers: producers ?? [] }), consumers, environments })
      },
    )
  }
}
