/** Pairs (consumer → provider) with their verification state, and a contract's evolution: the web UI's read models. */
import {
  dateTime,
  differenceProperties,
  record,
  staticDifferenceSchema,
  storedContractProperties,
  stringArray,
  verificationSummarySchema,
} from './common.js'
import type { Answer, Sent } from './derive.js'
import { branchSchema, environmentNameSchema, serviceNameSchema, versionSchema } from './names.js'

/** The largest page of pairs: enough for the whole graph of a 200-service organisation in one request. */
export const MAX_PAIRS_PAGE = 1000

/** A pair's state: replayed (`verified`, `failed`), proven statically from a provider schema, or not yet. */
export const PAIR_STATES = ['verified', 'proven', 'failed', 'pending', 'unverified'] as const
export type PairState = (typeof PAIR_STATES)[number]

export const pairsQuerySchema = {
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
} as const
export type PairsQuery = Sent<typeof pairsQuerySchema>

export const pairSchema = record({
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
  staticDifferences: { type: 'array', items: staticDifferenceSchema },
})
export type Pair = Answer<typeof pairSchema>

export const pairsResponseSchema = record({ total: { type: 'integer' }, pairs: { type: 'array', items: pairSchema } })
export type PairsResponse = Answer<typeof pairsResponseSchema>

export const contractViewQuerySchema = { type: 'object', additionalProperties: false, properties: { version: versionSchema } } as const

/** How one expectation changed from the previous consumer version, in the compatibility engine's words. */
export const expectationEvolutionSchema = record({
  description: { type: 'string' },
  change: { type: 'string', enum: ['added', 'removed', 'changed', 'unchanged'] },
  channel: { type: 'string' },
  checks: {
    type: 'array',
    description: 'per part: `backward` (old messages, new expectation) and `forward` findings',
    items: record({
      part: { type: 'string', enum: ['payload', 'headers'] },
      direction: { type: 'string', enum: ['backward', 'forward'] },
      differences: { type: 'array', items: record(differenceProperties) },
    }),
  },
})
export type ExpectationEvolution = Answer<typeof expectationEvolutionSchema>

/** What the contract page reads in one request. */
export const contractViewSchema = record({
  ...storedContractProperties,
  variants: {
    type: 'array',
    description: 'per expectation, the messages besides the example its handler was tried on (at the default limit of variants)',
    items: record({
      description: { type: 'string' },
      // payload and headers may be any JSON value: optional, so the serializer never has to refuse an undefined one.
      messages: { type: 'array', items: record({ name: { type: 'string' }, payload: {}, headers: {} }, ['payload', 'headers']) },
    }),
  },
  verification: {
    type: ['object', 'null'],
    additionalProperties: false,
    required: ['providerVersion', 'success', 'verifiedAt', 'expectations'],
    description: 'the latest replayed verification of this content, with each expectation’s mismatches',
    properties: {
      ...verificationSummarySchema.properties,
      expectations: {
        type: 'array',
        items: record(
          { description: { type: 'string' }, success: { type: 'boolean' }, status: { type: 'string' }, mismatches: stringArray },
          ['status', 'mismatches'],
        ),
      },
    },
  },
  previousVersion: { type: ['string', 'null'] },
  evolution: { type: 'array', items: expectationEvolutionSchema },
})
export type ContractView = Answer<typeof contractViewSchema>
