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
          producers = (await deps.store.getProviderSchema(provider, body.version, 'body.version')).producers
        }
        const replayed = body.replay && new Map(body.replay.map((r) => [r.contentHash, r.differences]))
        await deps.store.getService(provider, 1, 'params.provider')
        const environments = body.environments ?? []
        const candidates = await deps.store.loadVerificationCandidates(provider, [], environments)
        const unknown = environments.findIndex((e) => !candidates.knownEnvironments.includes(e))
        if (unknown >= 0) {
          // knownEnvironments holds only those asked for; the closest name needs them all.
          const all = (await deps.store.listEnvironments()).map((e) => e.name)
          throw environmentNotFound(environments[unknown]!, all, `body.environments[${unknown}]`)
        }
        const expectations = await deps.store.loadExpectations([...new Set(candidates.publications.map((p) => p.contentHash))])
        const consumers = impactCandidates(candidates.publications, expectations)
        return impactOf({ provider, ...(replayed ? { replayed } : { producers: producers ?? [] }), consumers, environments })
      },
    )
  }
}
