/** Pairs (consumer → provider) with their verification state, and a contract's evolution: the web UI's read models. */
import { messagesToTry } from '@treaty/core'
import {
  contractViewQuerySchema,
  contractViewSchema,
  pairParamsSchema,
  pairsQuerySchema,
  pairsResponseSchema,
  type Received,
  type Served,
} from '@treaty/core/wire'
import type { FastifyPluginAsync } from 'fastify'
import { contractEvolution } from '../domain/evolution.js'
import { decidePair } from '../domain/pair-state.js'
import type { Queryable } from '../store/database.js'
import { latestVerificationDetail, listPairFacts, loadContractHistory, loadPairStaticFacts, type PairQuery } from '../store/pairs.js'
import { doc, errors, guard, type RouteDeps } from './schemas.js'

/** One page of pairs, each decided (replay, else static from the provider's latest schema). */
export async function listPairs(db: Queryable, query: PairQuery): Promise<Served<typeof pairsResponseSchema>> {
  const { total, pairs } = await listPairFacts(db, query)
  const facts = await loadPairStaticFacts(db, pairs)
  return {
    total,
    pairs: pairs.map(({ verifiedOnMain, providerLatestVersion, ...p }) => {
      const { differences, ...decision } = decidePair({
        latestVerification: p.latestVerification,
        verifiedOnMain,
        providerSchema: facts.providerSchemas.find((s) => s.provider === p.provider && s.providerVersion === providerLatestVersion),
        expectations: facts.expectations.get(p.contentHash),
      })
      return { ...p, ...decision, staticDifferences: differences }
    }),
  }
}

export function pairRoutes(deps: RouteDeps): FastifyPluginAsync {
  return async (app) => {
    app.get<{ Querystring: Received<typeof pairsQuerySchema>; Reply: Served<typeof pairsResponseSchema> }>(
      '/api/pairs',
      {
        onRequest: guard(deps, 'read'),
        schema: {
          ...doc('pairs', 'read', 'Consumer → provider pairs with channels, latest contract and verification state, a page at a time'),
          querystring: pairsQuerySchema,
          response: {
            200: pairsResponseSchema,
            ...errors(404),
          },
        },
      },
      async (request) => listPairs(deps.store.db, request.query),
    )

    app.get<{
      Params: Received<typeof pairParamsSchema>
      Querystring: Received<typeof contractViewQuerySchema>
      Reply: Served<typeof contractViewSchema>
    }>(
      '/api/pairs/:consumer/:provider/contract',
      {
        onRequest: guard(deps, 'read'),
        schema: {
          ...doc(
            'pairs',
            'read',
            'A consumer version’s contract with a provider (default: the latest), the variants its handler was tried on, and its evolution from the previous version (checkEvolution, full)',
          ),
          params: pairParamsSchema,
          querystring: contractViewQuerySchema,
          response: { 200: contractViewSchema, ...errors(404) },
        },
      },
      async (request) => {
        const { consumer, provider } = request.params
        const { current, previous } = await loadContractHistory(deps.store.db, consumer, provider, request.query.version)
        return {
          ...current,
          variants: current.contract.expectations.map((e) => ({
            description: e.description,
            // The first message tried is the example itself, shown apart on the page.
            messages: messagesToTry(e).slice(1),
          })),
          verification: await latestVerificationDetail(deps.store.db, current.contentHash),
          previousVersion: previous?.version ?? null,
          evolution: previous ? contractEvolution(previous.contract, current.contract) : [],
        }
      },
    )
  }
}
