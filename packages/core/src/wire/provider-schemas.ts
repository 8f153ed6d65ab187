/** Provider schemas (what a provider version emits, for static can-i-deploy) and impact (what a change would break). */
import { dateTime, jsonSchemaSchema, record, stringArray } from './common.js'
import type { Answer, Sent } from './derive.js'
import { branchSchema, CONTENT_HASH_PATTERN, environmentNameSchema, versionSchema } from './names.js'

export const producerSchema = {
  type: 'object',
  required: ['key', 'payload', 'headers'],
  additionalProperties: false,
  properties: {
    key: { type: 'string', minLength: 1, maxLength: 500, description: 'an expectation description, `channel#messageName` or a channel' },
    channel: { type: 'string', minLength: 1, maxLength: 500 },
    payload: jsonSchemaSchema,
    headers: jsonSchemaSchema,
  },
} as const
/** One producer of a provider schema: what the provider emits under one producers-map key. */
export type ProviderSchemaProducer = Sent<typeof producerSchema>

export const providerSchemaRequestSchema = {
  type: 'object',
  required: ['providerVersion', 'producers'],
  additionalProperties: false,
  properties: {
    providerVersion: versionSchema,
    branch: branchSchema,
    producers: { type: 'array', maxItems: 5000, items: producerSchema },
    overwrite: { type: 'boolean', description: 'replace a different provider schema already published for this provider version' },
  },
} as const
export type ProviderSchemaRequest = Sent<typeof providerSchemaRequestSchema>

export const providerSchemaResponseSchema = record({
  status: { type: 'string', enum: ['created', 'unchanged', 'overwritten'] },
  provider: { type: 'string' },
  providerVersion: { type: 'string' },
  contentHash: { type: 'string' },
})
export type ProviderSchemaResponse = Answer<typeof providerSchemaResponseSchema>

export const providerSchemaQuerySchema = { type: 'object', additionalProperties: false, properties: { version: versionSchema } } as const

export const storedProviderSchemaSchema = record({
  provider: { type: 'string' },
  providerVersion: { type: 'string' },
  contentHash: { type: 'string' },
  publishedAt: dateTime,
  branches: stringArray,
  producers: { type: 'array', items: producerSchema },
})
export type StoredProviderSchema = Answer<typeof storedProviderSchemaSchema>

/** What replaying one contract content against the changed producers found: root causes per expectation and part. */
export const impactReplayResultSchema = {
  type: 'object',
  required: ['contentHash', 'differences'],
  additionalProperties: false,
  properties: {
    contentHash: { type: 'string', pattern: CONTENT_HASH_PATTERN },
    differences: {
      type: 'array',
      maxItems: 10_000,
      items: {
        type: 'object',
        required: ['expectation', 'part', 'pointer', 'kind', 'message'],
        additionalProperties: false,
        properties: {
          expectation: { type: 'string', maxLength: 2000 },
          part: { type: 'string', enum: ['payload', 'headers'] },
          pointer: { type: 'string', maxLength: 2000 },
          kind: { type: 'string', minLength: 1, maxLength: 100 },
          message: { type: 'string', maxLength: 5000 },
        },
      },
    },
  },
} as const
export type ImpactReplayResult = Sent<typeof impactReplayResultSchema>

export const impactRequestSchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    producers: {
      type: 'array',
      maxItems: 5000,
      items: producerSchema,
      description: 'what the provider would send after the change (a provider schema)',
    },
    version: { ...versionSchema, description: 'use the provider schema this provider version published instead' },
    replay: {
      type: 'array',
      maxItems: 5000,
      description: 'or: what replaying each contract content against the changed producers found (treaty impact --producers)',
      items: impactReplayResultSchema,
    },
    environments: { type: 'array', maxItems: 100, items: environmentNameSchema },
  },
} as const
/** Give `producers` (what the provider would send after the change) or `version` (a published provider schema). */
export type ImpactRequest = Sent<typeof impactRequestSchema>

const part = { type: 'string', enum: ['payload', 'headers'] } as const

/** A consumer version an impact finding or a field-usage entry is about; `mainBranch`: latest of its main branch. */
export const consumerVersionRefSchema = record({
  consumer: { type: 'string' },
  version: { type: 'string' },
  environments: stringArray,
  mainBranch: { type: 'boolean' },
})
export type ConsumerVersionRef = Answer<typeof consumerVersionRefSchema>

/** One field a consumer version reads on a channel, and what it requires of it (`constraint`, in short). */
export const fieldUsageSchema = record({
  channel: { type: 'string' },
  part,
  pointer: { type: 'string' },
  constraint: { type: 'string' },
  consumer: { type: 'string' },
  version: { type: 'string' },
  environments: stringArray,
})
export type FieldUsage = Answer<typeof fieldUsageSchema>

/** One root cause: one field the change touches (`pointer`, `*` any array item), and every consumer version it breaks. */
export const impactFindingSchema = record({
  channel: { type: 'string' },
  part,
  pointer: { type: 'string' },
  kind: { type: 'string', description: 'the compatibility engine’s kind (REQUIRED_PROPERTY_ADDED, …) or NO_PRODUCER' },
  change: { type: 'string' },
  message: { type: 'string' },
  summary: { type: 'string' },
  breaks: { type: 'array', items: consumerVersionRefSchema },
  unaffected: { ...stringArray, description: 'consumers with a contract on the channel that never read this field' },
  breaksDeployed: { type: 'boolean' },
})
export type ImpactFinding = Answer<typeof impactFindingSchema>

export const impactReportSchema = record({
  provider: { type: 'string' },
  breaksDeployed: { type: 'boolean', description: 'a consumer version deployed in an environment breaks: what `treaty impact` exits 1 on' },
  findings: { type: 'array', items: impactFindingSchema },
  consumers: { type: 'array', items: consumerVersionRefSchema },
  usage: { type: 'array', items: fieldUsageSchema },
})
export type ImpactReport = Answer<typeof impactReportSchema>
