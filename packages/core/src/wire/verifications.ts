/** The provider side: what to verify (selectors, pending, WIP), and recording what was verified. */
import { contractDocumentSchema, record, stringArray } from './common.js'
import type { Answer, Sent } from './derive.js'
import { branchSchema, CONTENT_HASH_PATTERN, serviceNameSchema, versionSchema } from './names.js'
import { selectorSchema } from './selectors.js'

export const providerParamsSchema = { type: 'object', required: ['provider'], properties: { provider: serviceNameSchema } } as const

export const contractsForVerificationRequestSchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    selectors: { type: 'array', minItems: 1, maxItems: 50, items: selectorSchema, description: 'default: mainBranch and deployed' },
    providerBranch: { ...branchSchema, description: 'the branch the provider is verifying from' },
    includePending: { type: 'boolean', default: true },
    includeWipSince: { type: 'string', format: 'date-time', description: 'include work-in-progress contents published since then' },
  },
} as const
export type ContractsForVerificationRequest = Sent<typeof contractsForVerificationRequestSchema>

export const contractForVerificationSchema = record({
  contentHash: { type: 'string' },
  consumer: { type: 'string' },
  consumerVersions: { type: 'array', items: record({ version: { type: 'string' }, branches: stringArray }) },
  selectedBy: stringArray,
  pending: { type: 'boolean' },
  wip: { type: 'boolean' },
  notice: { type: 'string' },
  contract: contractDocumentSchema,
})
export type ContractForVerification = Answer<typeof contractForVerificationSchema>

export const contractsForVerificationResponseSchema = record({
  provider: { type: 'string' },
  contracts: { type: 'array', items: contractForVerificationSchema },
})
export type ContractsForVerificationResponse = Answer<typeof contractsForVerificationResponseSchema>

export const verificationRequestSchema = {
  type: 'object',
  required: ['provider', 'providerVersion', 'results'],
  additionalProperties: false,
  properties: {
    provider: serviceNameSchema,
    providerVersion: versionSchema,
    branch: branchSchema,
    results: {
      type: 'array',
      minItems: 1,
      maxItems: 500,
      items: {
        type: 'object',
        required: ['contentHash', 'success'],
        additionalProperties: false,
        properties: {
          contentHash: { type: 'string', pattern: CONTENT_HASH_PATTERN },
          success: { type: 'boolean', description: 'true only when every expectation succeeded (a contradiction is a 400)' },
          expectations: {
            type: 'array',
            maxItems: 10_000,
            description: 'per expectation: its outcome, and anything else the verifier reports (status, mismatches), stored as given',
            items: {
              type: 'object',
              required: ['description', 'success'],
              properties: { description: { type: 'string', maxLength: 500 }, success: { type: 'boolean' } },
            },
            default: [],
          },
        },
      },
    },
  },
} as const
/** A provider version's verification results, as `treaty verify` publishes them. */
export type VerificationRequest = Sent<typeof verificationRequestSchema>

export const verificationResponseSchema = record({
  provider: { type: 'string' },
  providerVersion: { type: 'string' },
  success: { type: 'boolean' },
  results: {
    type: 'array',
    items: record({ contentHash: { type: 'string' }, consumer: { type: 'string' }, success: { type: 'boolean' } }),
  },
})
export type VerificationResponse = Answer<typeof verificationResponseSchema>
