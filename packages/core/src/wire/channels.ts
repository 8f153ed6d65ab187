/** Channels: their retention (declared or read from JetStream) and the field-usage map of their readers. */
import { dateTime, nullableString, record } from './common.js'
import type { Answer, Sent } from './derive.js'
import { fieldUsageSchema } from './provider-schemas.js'

/**
 * How a channel keeps messages (JetStream's retention policies): `limits` keeps them until age or count
 * limits, `workqueue` and `interest`: a message leaves once acknowledged; `none`: not kept (core NATS).
 */
export const RETENTION_POLICIES = ['limits', 'workqueue', 'interest', 'none'] as const
export type RetentionPolicy = (typeof RETENTION_POLICIES)[number]

/** As a contract names a channel (no whitespace), plus NATS wildcards; no `..` so it is safe in a URL segment. */
export const channelSchema = {
  type: 'string',
  minLength: 1,
  maxLength: 255,
  pattern: '^(?!.*\\.\\.)[^\\s/]+$',
} as const

export const channelParamsSchema = { type: 'object', required: ['channel'], properties: { channel: channelSchema } } as const

const nullableCount = { anyOf: [{ type: 'integer', minimum: 1, maximum: Number.MAX_SAFE_INTEGER }, { type: 'null' }] } as const

export const channelRetentionRequestSchema = {
  type: 'object',
  required: ['policy', 'maxAgeMs', 'maxMessages', 'deadLetter', 'stream', 'source'],
  additionalProperties: false,
  properties: {
    policy: { type: 'string', enum: RETENTION_POLICIES },
    maxAgeMs: { ...nullableCount, description: 'how long a message is kept, in ms; null: no age limit' },
    maxMessages: { ...nullableCount, description: 'how many messages are kept; null: no count limit' },
    deadLetter: {
      anyOf: [channelSchema, { type: 'null' }],
      description: 'where messages that could not be handled go (and may be replayed from)',
    },
    stream: {
      anyOf: [{ type: 'string', minLength: 1, maxLength: 255, pattern: '^[^\\s]+$' }, { type: 'null' }],
      description: 'the JetStream stream the channel belongs to, when read from one',
    },
    source: { type: 'string', enum: ['declared', 'jetstream'] },
  },
} as const
export type ChannelRetentionRequest = Sent<typeof channelRetentionRequestSchema>

const nullableNumber = { type: ['number', 'null'] } as const

/** What the broker knows of one channel's retention (a channel, or a NATS subject pattern as a stream lists it). */
export const channelRetentionSchema = record(
  {
    channel: { type: 'string' },
    policy: { type: 'string', enum: RETENTION_POLICIES },
    maxAgeMs: nullableNumber,
    maxMessages: nullableNumber,
    deadLetter: nullableString,
    stream: nullableString,
    source: { type: 'string', enum: ['declared', 'jetstream'] },
    updatedAt: dateTime,
  },
  ['updatedAt'],
)
export type ChannelRetention = Answer<typeof channelRetentionSchema>

export const channelsResponseSchema = record({ channels: { type: 'array', items: channelRetentionSchema } })
export type ChannelsResponse = Answer<typeof channelsResponseSchema>

export const fieldUsageReportSchema = record({ channel: { type: 'string' }, usage: { type: 'array', items: fieldUsageSchema } })
export type FieldUsageReport = Answer<typeof fieldUsageReportSchema>
