/** Publishing contracts and reading them back (`/api/contracts`). */
import { contractDocumentSchema, record, storedContractSchema } from './common.js'
import type { Answer, Sent } from './derive.js'
import { branchSchema, serviceNameSchema, versionSchema } from './names.js'

export const publishContractsRequestSchema = {
  type: 'object',
  required: ['consumer', 'version', 'contracts'],
  additionalProperties: false,
  properties: {
    consumer: serviceNameSchema,
    version: versionSchema,
    branch: branchSchema,
    tags: { type: 'array', items: branchSchema, maxItems: 50 },
    contracts: { type: 'array', minItems: 1, maxItems: 500, items: contractDocumentSchema },
    overwrite: { type: 'boolean', description: 'replace different content already published for this consumer version and provider' },
  },
} as const
export type PublishRequest = Sent<typeof publishContractsRequestSchema>

export const publishContractsResponseSchema = record(
  {
    status: { type: 'string', enum: ['published', 'unchanged'] },
    consumer: { type: 'string' },
    version: { type: 'string' },
    contracts: {
      type: 'array',
      items: record({
        provider: { type: 'string' },
        contentHash: { type: 'string' },
        status: { type: 'string', enum: ['created', 'unchanged', 'overwritten'] },
      }),
    },
    /** A consumer or provider named for the first time that is close to a known service (a likely typo); nothing was refused. */
    notices: { type: 'array', items: { type: 'string' } },
  },
  ['notices'],
)
export type PublishResponse = Answer<typeof publishContractsResponseSchema>

export const pairParamsSchema = {
  type: 'object',
  required: ['consumer', 'provider'],
  properties: { consumer: serviceNameSchema, provider: serviceNameSchema },
} as const

export const contractQuerySchema = {
  type: 'object',
  additionalProperties: false,
  properties: { version: versionSchema, branch: branchSchema },
} as const

export const consumerParamsSchema = { type: 'object', required: ['consumer'], properties: { consumer: serviceNameSchema } } as const

export const contractsOfVersionQuerySchema = {
  type: 'object',
  required: ['version'],
  additionalProperties: false,
  properties: { version: versionSchema },
} as const

export { storedContractSchema }
export type StoredContract = Answer<typeof storedContractSchema>

export const contractsOfVersionResponseSchema = record({ contracts: { type: 'array', items: storedContractSchema } })
export type ContractsOfVersionResponse = Answer<typeof contractsOfVersionResponseSchema>
