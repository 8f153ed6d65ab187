/** Observations: `treaty observe` publishes what live traffic it checked, as `observed` evidence. */
import { dateTime, record } from './common.js'
import type { Answer, Sent } from './derive.js'
import { CONTENT_HASH_PATTERN, environmentNameSchema, serviceNameSchema, versionSchema } from './names.js'

const count = { type: 'integer', minimum: 0, maximum: Number.MAX_SAFE_INTEGER } as const
const short = <const N extends number>(maxLength: N) => ({ type: 'string', maxLength }) as const

/** One (consumer version, channel) pair as an observer saw the provider version's live traffic. */
export const observationSchema = {
  type: 'object',
  required: ['provider', 'providerVersion', 'consumer', 'consumerVersion', 'contentHash', 'channel', 'messages', 'mismatches', 'pointers'],
  additionalProperties: false,
  properties: {
    provider: serviceNameSchema,
    providerVersion: versionSchema,
    consumer: serviceNameSchema,
    consumerVersion: versionSchema,
    contentHash: { type: 'string', pattern: CONTENT_HASH_PATTERN },
    channel: { type: 'string', minLength: 1, maxLength: 500 },
    messages: {
      ...count,
      description: 'messages checked against the consumer version’s expectations on the channel, since the run started',
    },
    mismatches: { ...count, description: 'of those, messages none of its expectations accepted' },
    pointers: {
      type: 'array',
      maxItems: 20,
      description: 'failing JSON pointers (`payload/items/0/qty`) with what was expected and how often',
      items: {
        type: 'object',
        required: ['pointer', 'expected', 'count'],
        additionalProperties: false,
        properties: { pointer: short(1000), expected: short(1000), count },
      },
    },
    example: {
      type: 'object',
      required: ['subject', 'headers', 'preview', 'at'],
      additionalProperties: false,
      description: 'one rejected message: subject, headers with secrets masked, a truncated payload preview',
      properties: {
        subject: short(1000),
        headers: { type: 'object', maxProperties: 51, additionalProperties: short(1000) },
        preview: short(2000),
        at: dateTime,
      },
    },
  },
} as const
export type Observation = Sent<typeof observationSchema>

export const observationsRequestSchema = {
  type: 'object',
  required: ['runId', 'environment', 'observations'],
  additionalProperties: false,
  properties: {
    runId: {
      type: 'string',
      minLength: 1,
      maxLength: 100,
      pattern: '^[A-Za-z0-9._:-]+$',
      description: 'one observer run: totals are cumulative per run, so sending them again changes nothing',
    },
    environment: environmentNameSchema,
    observations: { type: 'array', minItems: 1, maxItems: 500, items: observationSchema },
  },
} as const
export type ObservationRequest = Sent<typeof observationsRequestSchema>

export const observationsResponseSchema = record({ recorded: { type: 'integer' } })
export type ObservationResponse = Answer<typeof observationsResponseSchema>
