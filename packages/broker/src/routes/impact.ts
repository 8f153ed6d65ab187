/** Impact: which consumer versions a provider change breaks, field by field, before it ships. */
import {
  impactReportSchema,
  impactRequestSchema,
  type ProviderSchemaProducer,
  providerParamsSchema,
  type Received,
  type Served,
} from '@treaty/core/wire'
import type { FastifyPluginAsync } from 'fastify'
import { impactCandidates, impactOf } from '../domain/impact.js'
import { BrokerError, BrokerErrorCodes } from '../errors.js'
import { environmentNotFound } from '../store/environments.js'
import { validateProviderSchema } from './provider-schemas.js'
import { doc, errors, guard, type RouteDeps } from './schemas.js'

export function impactRoutes(deps: RouteDeps): FastifyPluginAsync {
  return async (app) => {
    app.post<{
      Params: Received<typeof providerParamsSchema>
      Body: Received<typeof impactRequestSchema>
      Reply: Served<typeof impactReportSchema>
    }>(
      '/api/providers/:provider/impact',
      {
        onRequest: guard(deps, 'read'),
        schema: {
          ...doc('deploy', 'read', 'Which consumer versions (main branches and deployed) a change of the provider would break, per field'),
          params: providerParamsSchema,
          body: impactRequestSchema,
          response: { 200: impactReportSchema, ...errors(404, 413, 415) },
        },
      },
      async (request) => {
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
