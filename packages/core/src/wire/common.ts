/**
 * Schema fragments shared by the wire schemas of several resources. Response objects are `record`s: every
 * property listed is required and nothing else is sent, so the derived types are exact (see derive.ts).
 */
import type { JSONSchema } from 'json-schema-to-ts'
import { type Answer, CONTRACT_DOCUMENT, JSON_SCHEMA_DOCUMENT } from './derive.js'

type Properties = Record<string, JSONSchema>

/** A closed object whose properties are all required except the `optional` ones. */
export function record<const P extends Properties, const O extends keyof P & string = never>(properties: P, optional: readonly O[] = []) {
  const required = Object.keys(properties).filter((k) => !(optional as readonly string[]).includes(k)) as Exclude<keyof P & string, O>[]
  return { type: 'object', additionalProperties: false, required, properties } as const
}

export const errorSchema = {
  type: 'object',
  description:
    'Every error: a stable code (TREATY_BROKER_*), a message naming the field, the field path, and a hint that says how to fix it.',
  required: ['error'],
  properties: {
    error: {
      type: 'object',
      required: ['code', 'message'],
      properties: { code: { type: 'string' }, message: { type: 'string' }, path: { type: 'string' }, hint: { type: 'string' } },
    },
  },
} as const
/** The one error shape every endpoint answers with. */
export type ErrorBody = Answer<typeof errorSchema>

export const dateTime = { type: 'string', format: 'date-time' } as const
export const nullableDateTime = { type: ['string', 'null'], format: 'date-time' } as const
export const stringArray = { type: 'array', items: { type: 'string' } } as const
export const nullableString = { type: ['string', 'null'] } as const

export const contractDocumentSchema = {
  type: 'object',
  description: CONTRACT_DOCUMENT,
  additionalProperties: true,
} as const

// anyOf rather than a type array: fastify's ajv runs in strict mode and warns on union types at every start.
export const jsonSchemaSchema = {
  anyOf: [{ type: 'object', additionalProperties: true }, { type: 'boolean' }],
  description: JSON_SCHEMA_DOCUMENT,
} as const

export const verificationSummarySchema = {
  type: ['object', 'null'],
  additionalProperties: false,
  required: ['providerVersion', 'success', 'verifiedAt'],
  properties: { providerVersion: { type: 'string' }, success: { type: 'boolean' }, verifiedAt: dateTime },
} as const

/** A compatibility difference (core's `Difference`, as the broker reports it). */
export const differenceProperties = { pointer: { type: 'string' }, kind: { type: 'string' }, message: { type: 'string' } } as const

/** Why a provider schema does not satisfy an expectation (can-i-deploy rows and pairs decided statically). */
export const staticDifferenceSchema = record({
  expectation: { type: 'string' },
  part: { type: 'string', enum: ['payload', 'headers'] },
  ...differenceProperties,
})

export const observedSummarySchema = {
  ...record({
    messages: { type: 'integer' },
    mismatches: { type: 'integer' },
    environments: stringArray,
    rejected: {
      type: 'array',
      items: record({ channel: { type: 'string' }, mismatches: { type: 'integer' }, messages: { type: 'integer' }, pointers: stringArray }),
    },
    effect: { type: 'string', enum: ['block', 'warn', 'none'] },
    lastSeenAt: dateTime,
  }),
  description: 'What `treaty observe` saw the provider version send, checked against this content (absent when never observed)',
} as const

export const matrixRowProperties = {
  consumer: { type: 'string' },
  consumerVersion: { type: 'string' },
  provider: { type: 'string' },
  providerVersion: { type: ['string', 'null'] },
  contentHash: { type: 'string' },
  verification: verificationSummarySchema,
  observed: observedSummarySchema,
} as const

/** A contract as the broker stores it: the document and where it was published from (contracts and pairs routes). */
export const storedContractProperties = {
  consumer: { type: 'string' },
  consumerVersion: { type: 'string' },
  provider: { type: 'string' },
  contentHash: { type: 'string' },
  publishedAt: dateTime,
  branches: stringArray,
  contract: contractDocumentSchema,
} as const
export const storedContractSchema = record(storedContractProperties)
