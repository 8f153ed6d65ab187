/** Services: the list, one service in detail, its main branch, and (admin) deleting a service or a version. */
import { dateTime, record, stringArray, verificationSummarySchema } from './common.js'
import type { Answer, Sent } from './derive.js'
import { branchSchema, serviceNameSchema, versionSchema } from './names.js'

export const serviceParamsSchema = { type: 'object', required: ['name'], properties: { name: serviceNameSchema } } as const

export const serviceSummarySchema = record({
  name: { type: 'string' },
  mainBranch: { type: 'string' },
  createdAt: dateTime,
  latestVersion: { type: ['string', 'null'] },
  versionCount: { type: 'integer' },
})
export type ServiceSummary = Answer<typeof serviceSummarySchema>

export const servicesResponseSchema = record({ services: { type: 'array', items: serviceSummarySchema } })
export type ServicesResponse = Answer<typeof servicesResponseSchema>

/** One side of an integration, as seen from the service: the other service's latest contract and its last verification. */
const integration = record({
  service: { type: 'string' },
  consumerVersion: { type: 'string' },
  contentHash: { type: 'string' },
  publishedAt: dateTime,
  latestVerification: verificationSummarySchema,
})

export const serviceDetailSchema = record({
  name: { type: 'string' },
  mainBranch: { type: 'string' },
  createdAt: dateTime,
  versions: {
    type: 'array',
    items: record({ version: { type: 'string' }, branches: stringArray, tags: stringArray, createdAt: dateTime }),
  },
  branches: { type: 'array', items: record({ name: { type: 'string' }, latestVersion: { type: 'string' } }) },
  deployments: {
    type: 'array',
    items: record({ environment: { type: 'string' }, version: { type: 'string' }, deployedAt: dateTime }),
  },
  consumes: { type: 'array', description: 'providers this service consumes from: latest contract with each', items: integration },
  provides: { type: 'array', description: 'consumers of this service: latest contract of each', items: integration },
})
export type ServiceDetail = Answer<typeof serviceDetailSchema>

export const serviceQuerySchema = {
  type: 'object',
  additionalProperties: false,
  properties: { versions: { type: 'integer', minimum: 1, maximum: 1000, default: 100, description: 'newest versions to list' } },
} as const

export const mainBranchRequestSchema = {
  type: 'object',
  required: ['mainBranch'],
  additionalProperties: false,
  properties: { mainBranch: branchSchema },
} as const
export type MainBranchRequest = Sent<typeof mainBranchRequestSchema>

export const versionParamsSchema = {
  type: 'object',
  required: ['name', 'version'],
  properties: { name: serviceNameSchema, version: versionSchema },
} as const

export const createVersionRequestSchema = {
  type: 'object',
  additionalProperties: false,
  properties: { branch: branchSchema },
} as const
export type CreateVersionRequest = Sent<typeof createVersionRequestSchema>

export const versionCreatedSchema = record({
  service: { type: 'string' },
  version: { type: 'string' },
  branches: stringArray,
  changed: { type: 'boolean' },
})
export type VersionCreated = Answer<typeof versionCreatedSchema>

export const deletionQuerySchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    by: { type: 'string', minLength: 1, maxLength: 200, description: 'who asks (logged); the CLI sends $USER or the CI actor' },
  },
} as const

export const deletionSchema = record({
  service: { type: 'string' },
  version: { type: ['string', 'null'] },
  deletedBy: { type: 'string' },
  tokenLevel: { type: 'string' },
  removed: { type: 'object', additionalProperties: { type: 'integer' }, description: 'rows removed, per table' },
  deletedAt: dateTime,
})
export type DeletionResponse = Answer<typeof deletionSchema>

export const deletionsResponseSchema = record({ deletions: { type: 'array', items: deletionSchema } })
export type DeletionsResponse = Answer<typeof deletionsResponseSchema>
