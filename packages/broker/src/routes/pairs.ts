/** Pairs (consumer → provider) with their verification state, and a contract's evolution: the web UI's read models. */
import { type Contract, checkEvolution, type Difference, type JsonSchema, messagesToTry } from '@treaty/core'
import type { FastifyPluginAsync } from 'fastify'
import { decidePair, PAIR_STATES, type PairDecision } from '../domain/pair-state.js'
import { branchSchema, environmentNameSchema, serviceNameSchema, versionSchema } from '../names.js'
import type { StoredContract } from '../store/contracts.js'
import type { Queryable } from '../store/database.js'
import {
  latestVerificationDetail,
  listPairFacts,
  loadContractHistory,
  loadPairStaticFacts,
  type PairFacts,
  type PairQuery,
  type VerificationDetail,
} from '../store/pairs.js'
import { dateTime, doc, errors, guard, type RouteDeps, storedContractSchema, stringArray, verificationSummarySchema } from './schemas.js'

/** The largest page of pairs: enough for the whole graph of a 200-service organisation in one request. */
export const MAX_PAIRS_PAGE = 1000

const differenceSchema = {
  type: 'object',
  properties: { pointer: { type: 'string' }, kind: { type: 'string' }, message: { type: 'string' } },
} as const

export const pairSchema = {
  type: 'object',
  properties: {
    consumer: { type: 'string' },
    provider: { type: 'string' },
    consumerVersion: { type: 'string' },
    branches: stringArray,
    contentHash: { type: 'string' },
    channels: stringArray,
    publishedAt: dateTime,
    state: { type: 'string', enum: PAIR_STATES },
    mode: { type: ['string', 'null'], enum: ['replay', 'static', null] },
    pending: { type: 'boolean' },
    latestVerification: verificationSummarySchema,
    staticDifferences: {
      type: 'array',
      items: { type: 'object', properties: { expectation: { type: 'string' }, part: { type: 'string' }, ...differenceSchema.properties } },
    },
  },
} as const

export type Pair = Omit<PairFacts, 'verifiedOnMain' | 'providerLatestVersion'> &
  Omit<PairDecision, 'differences'> & {
    staticDifferences: PairDecision['differences']
  }

/** One page of pairs, each decided (replay, else static from the provider's latest schema). */
export async function listPairs(db: Queryable, query: PairQuery): Promise<{ total: number; pairs: Pair[] }> {
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

export interface ExpectationEvolution {
  description: string
  change: 'added' | 'removed' | 'changed' | 'unchanged'
  channel: string
  /** The compatibility engine's findings per part: `backward` (old messages, new expectation) and `forward`. */
  checks: { part: 'payload' | 'headers'; direction: 'backward' | 'forward'; differences: Difference[] }[]
}

/** Each expectation of `current` against the same description in `previous`, in checkEvolution's words. */
export function contractEvolution(previous: Contract, current: Contract): ExpectationEvolution[] {
  const before = new Map(previous.expectations.map((e) => [e.description, e]))
  const out: ExpectationEvolution[] = []
  for (const e of current.expectations) {
    const old = before.get(e.description)
    before.delete(e.description)
    if (!old) {
      out.push({ description: e.description, change: 'added', channel: e.channel, checks: [] })
      continue
    }
    const checks: ExpectationEvolution['checks'] = []
    const parts: ['payload' | 'headers', JsonSchema | undefined, JsonSchema | undefined][] = [
      ['payload', old.payload.schema, e.payload.schema],
      ['headers', old.headers?.schema, e.headers?.schema],
    ]
    for (const [part, a, b] of parts) {
      if (a === undefined && b === undefined) continue
      const result = checkEvolution([a ?? {}, b ?? {}], 'full')
      for (const c of result.checks) if (c.differences.length > 0) checks.push({ part, direction: c.direction, differences: c.differences })
    }
    const same = JSON.stringify(old) === JSON.stringify(e)
    out.push({ description: e.description, change: same ? 'unchanged' : 'changed', channel: e.channel, checks })
  }
  for (const old of before.values()) out.push({ description: old.description, change: 'removed', channel: old.channel, checks: [] })
  return out
}

const contractViewSchema = {
  type: 'object',
  properties: {
    ...storedContractSchema.properties,
    variants: {
      type: 'array',
      description: 'per expectation, the messages besides the example its handler was tried on (at the default limit of variants)',
      items: {
        type: 'object',
        properties: {
          description: { type: 'string' },
          messages: {
            type: 'array',
            items: { type: 'object', properties: { name: { type: 'string' }, payload: {}, headers: {} } },
          },
        },
      },
    },
    verification: {
      type: ['object', 'null'],
      description: 'the latest replayed verification of this content, with each expectation’s mismatches',
      properties: {
        providerVersion: { type: 'string' },
        success: { type: 'boolean' },
        verifiedAt: dateTime,
        expectations: {
          type: 'array',
          items: {
            type: 'object',
            properties: {
              description: { type: 'string' },
              success: { type: 'boolean' },
              status: { type: 'string' },
              mismatches: stringArray,
            },
          },
        },
      },
    },
    previousVersion: { type: ['string', 'null'] },
    evolution: {
      type: 'array',
      items: {
        type: 'object',
        properties: {
          description: { type: 'string' },
          change: { type: 'string', enum: ['added', 'removed', 'changed', 'unchanged'] },
          channel: { type: 'string' },
          checks: {
            type: 'array',
            items: {
              type: 'object',
              properties: {
                part: { type: 'string' },
                direction: { type: 'string' },
                differences: { type: 'array', items: differenceSchema },
              },
            },
          },
        },
      },
    },
  },
} as const

/** What the contract page reads in one request. */
export interface ContractView extends StoredContract {
  variants: { description: string; messages: ReturnType<typeof messagesToTry> }[]
  verification: VerificationDetail | null
  previousVersion: string | null
  evolution: ExpectationEvolution[]
}

const pairParams = {
  type: 'object',
  required: ['consumer', 'provider'],
  properties: { consumer: serviceNameSchema, provider: serviceNameSchema },
} as const

export function pairRoutes(deps: RouteDeps): FastifyPluginAsync {
  return async (app) => {
    app.get<{ Querystring: PairQuery }>(
      '/api/pairs',
      {
        onRequest: guard(deps, 'read'),
        schema: {
          ...doc('pairs', 'read', 'Consumer → provider pairs with channels, latest contract and verification state, a page at a time'),
          querystring: {
            type: 'object',
            additionalProperties: false,
            properties: {
              limit: { type: 'integer', minimum: 1, maximum: MAX_PAIRS_PAGE, default: 100 },
              offset: { type: 'integer', minimum: 0, default: 0 },
              q: { type: 'string', minLength: 1, maxLength: 200, description: 'part of the consumer’s or provider’s name' },
              branch: { ...branchSchema, description: 'the contract the consumer’s head of this branch published' },
              environment: { ...environmentNameSchema, description: 'the contract of the consumer version deployed there' },
              consumer: { ...serviceNameSchema, description: 'only this consumer' },
              provider: { ...serviceNameSchema, description: 'only this provider' },
            },
          },
          response: {
            200: { type: 'object', properties: { total: { type: 'integer' }, pairs: { type: 'array', items: pairSchema } } },
            ...errors(404),
          },
        },
      },
      async (request) => listPairs(deps.store.db, request.query),
    )

    app.get<{ Params: { consumer: string; provider: string }; Querystring: { version?: string } }>(
      '/api/pairs/:consumer/:provider/contract',
      {
        onRequest: guard(deps, 'read'),
        schema: {
          ...doc(
            'pairs',
            'read',
            'A consumer version’s contract with a provider (default: the latest), the variants its handler was tried on, and its evolution from the previous version (checkEvolution, full)',
          ),
          params: pairParams,
          querystring: { type: 'object', additionalProperties: false, properties: { version: versionSchema } },
          response: { 200: contractViewSchema, ...errors(404) },
        },
      },
      async (request): Promise<ContractView> => {
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
