/** The provider side: what to verify (selectors, pending, WIP), and recording what was verified. */
import {
  contractsForVerificationRequestSchema,
  contractsForVerificationResponseSchema,
  DEFAULT_SELECTORS,
  type ParsedSelector,
  providerParamsSchema,
  type Received,
  type Served,
  verificationRequestSchema,
  verificationResponseSchema,
} from '@treaty/core/wire'
import type { FastifyPluginAsync } from 'fastify'
import { mayActFor } from '../auth.js'
import { contractsForVerification } from '../domain/contracts-for-verification.js'
import { parseSelectors } from '../domain/selectors.js'
import { BrokerError, BrokerErrorCodes } from '../errors.js'
import { didYouMean } from '../store/known-names.js'
import { doc, emptyBodyIsEmptyObject, errors, guard, type RouteDeps } from './schemas.js'

export function verificationRoutes(deps: RouteDeps): FastifyPluginAsync {
  return async (app) => {
    app.post<{
      Params: Received<typeof providerParamsSchema>
      Body: Received<typeof contractsForVerificationRequestSchema>
      Reply: Served<typeof contractsForVerificationResponseSchema>
    }>(
      '/api/providers/:provider/contracts-for-verification',
      {
        onRequest: guard(deps, 'read'),
        preValidation: emptyBodyIsEmptyObject,
        schema: {
          ...doc('verifications', 'read', 'The contracts a provider must verify, one per content hash, with pending and WIP flags'),
          params: providerParamsSchema,
          body: contractsForVerificationRequestSchema,
          response: { 200: contractsForVerificationResponseSchema, ...errors(415) },
        },
      },
      async (request) => {
        const body = request.body
        const provider = request.params.provider
        const selectors = parseSelectors(body.selectors ?? DEFAULT_SELECTORS, body.providerBranch, 'body.')
        if (body.includeWipSince !== undefined && body.providerBranch === undefined) {
          throw new BrokerError(
            BrokerErrorCodes.SELECTOR_INVALID,
            'includeWipSince needs providerBranch: WIP is relative to the branch being verified',
            {
              path: 'body.providerBranch',
            },
          )
        }
        const explicit = selectors.flatMap((s) => (s.kind === 'version' ? [{ consumer: s.consumer, version: s.version }] : []))
        const environments = selectors.flatMap((s) => (s.kind === 'deployed' && s.environment !== undefined ? [s.environment] : []))
        await deps.store.requireSelectedConsumers(
          selectors.flatMap((s, i) =>
            s.consumer === undefined
              ? []
              : [{ consumer: s.consumer, version: s.kind === 'version' ? s.version : undefined, path: `body.selectors[${i}]` }],
          ),
        )
        const facts = await deps.store.loadVerificationCandidates(provider, explicit, environments)
        await requireEnvironments(selectors, facts.knownEnvironments, deps)
        const targets = contractsForVerification(
          {
            provider,
            providerMainBranch: facts.providerMainBranch,
            providerBranch: body.providerBranch,
            selectors,
            includePending: body.includePending,
            includeWipSince: body.includeWipSince === undefined ? undefined : new Date(body.includeWipSince),
          },
          facts.publications,
          facts.successes,
        )
        const documents = await deps.store.loadDocuments(targets.map((t) => t.contentHash))
        return { provider, contracts: targets.map((t) => ({ ...t, contract: JSON.parse(documents.get(t.contentHash)!) })) }
      },
    )

    app.post<{ Body: Received<typeof verificationRequestSchema>; Reply: Served<typeof verificationResponseSchema> }>(
      '/api/verifications',
      {
        onRequest: guard(deps, 'write'),
        schema: {
          ...doc('verifications', 'write', 'Record a provider version’s verification results, one per content hash'),
          body: verificationRequestSchema,
          response: {
            201: verificationResponseSchema,
            ...errors(404, 413, 415),
          },
        },
      },
      async (request, reply) => {
        mayActFor(request.principal, 'record verifications as provider', [{ service: request.body.provider, path: 'body.provider' }])
        const result = await deps.store.recordVerification(request.body, request.id)
        for (const r of result.results) deps.metrics.verificationsPublished.inc({ outcome: r.success ? 'success' : 'failure' })
        return reply.status(201).send(result)
      },
    )
  }
}

/** A deployed selector naming an environment that does not exist is a typo, not "nothing deployed". */
async function requireEnvironments(selectors: readonly ParsedSelector[], known: readonly string[], deps: RouteDeps): Promise<void> {
  for (const [i, s] of selectors.entries()) {
    if (s.kind !== 'deployed' || s.environment === undefined || known.includes(s.environment)) continue
    // `known` holds only the environments the selectors name (the hot read); the closest name needs them all.
    const all = (await deps.store.listEnvironments()).map((e) => e.name)
    throw new BrokerError(
      BrokerErrorCodes.SELECTOR_INVALID,
      `body.selectors[${i}].environment: there is no environment ${JSON.stringify(s.environment)}${didYouMean(s.environment, all) || '; GET /api/environments lists them'}`,
      { path: `body.selectors[${i}].environment` },
    )
  }
}
