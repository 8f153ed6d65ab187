/** Impact: which consumer versions a provider change breaks, field by field, before it ships. */
import type { ImpactReport, ImpactRequest } from '@treaty/core/client'
import type { FastifyPluginAsync } from 'fastify'
import { impactCandidates, impactOf } from '../domain/impact.js'
import type { ProviderSchemaProducer } from '../domain/types.js'
import { BrokerError, BrokerErrorCodes } from '../errors.js'
import { environmentNameSchema, serviceNameSchema, versionSchema } from '../names.js'
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
        if ((body.producers === undefined) === (body.version === undefined)) {
          throw new BrokerError(BrokerErrorCodes.VALIDATION, 'give exactly one of body.producers (a provider schema) and body.version', {
            path: body.producers === undefined ? 'body.producers' : 'body.version',
          })
        }
        let producers: ProviderSchemaProducer[]
        if (body.producers !== undefined) {
          producers = validateProviderSchema(provider, { providerVersion: 'proposed', producers: body.producers }).producers
        } else {
          producers = (await deps.store.getProviderSchema(provider, body.version)).producers
        }
        await deps.store.getService(provider, 1)
        const environments = body.environments ?? []
        const candidates = await deps.store.loadVerificationCandidates(provider, [], environments)
        const unknown = environments.find((e) => !candidates.knownEnvironments.includes(e))
        if (unknown !== undefined) throw environmentNotFound(unknown)
        const expectations = await deps.store.loadExpectations([...new Set(candidates.publications.map((p) => p.contentHash))])
        return impactOf({ provider, producers, consumers: impactCandidates(candidates.publications, expectations), environments })
      },
    )
  }
}
