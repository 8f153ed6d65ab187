/** Webhooks (admin only): subscriptions to broker events, and their delivery log. */
import { dateTime, nullableDateTime, nullableString, record } from './common.js'
import type { Answer, Sent } from './derive.js'

export const WEBHOOK_EVENTS = ['contract_published', 'contract_content_changed', 'verification_published', 'deployment_recorded'] as const
export type WebhookEvent = (typeof WEBHOOK_EVENTS)[number]

export const createWebhookRequestSchema = {
  type: 'object',
  required: ['url', 'events'],
  additionalProperties: false,
  properties: {
    url: { type: 'string', maxLength: 2048, description: 'http(s) URL receiving POSTs' },
    events: { type: 'array', minItems: 1, uniqueItems: true, items: { type: 'string', enum: WEBHOOK_EVENTS } },
    description: { type: 'string', maxLength: 500 },
    secret: { type: 'string', minLength: 16, maxLength: 256, description: 'HMAC key; generated when left out' },
  },
} as const
export type CreateWebhookRequest = Sent<typeof createWebhookRequestSchema>

const webhookProperties = {
  id: { type: 'string' },
  url: { type: 'string' },
  events: { type: 'array', items: { type: 'string', enum: WEBHOOK_EVENTS } },
  description: nullableString,
  createdAt: dateTime,
} as const

export const webhookSchema = record(webhookProperties)
export type Webhook = Answer<typeof webhookSchema>

/** The one answer that carries the signing secret. */
export const webhookCreatedSchema = record({ ...webhookProperties, secret: { type: 'string' } })
export type WebhookCreated = Answer<typeof webhookCreatedSchema>

export const webhooksResponseSchema = record({ webhooks: { type: 'array', items: webhookSchema } })
export type WebhooksResponse = Answer<typeof webhooksResponseSchema>

export const webhookParamsSchema = {
  type: 'object',
  required: ['id'],
  properties: { id: { type: 'string', pattern: '^[A-Za-z0-9-]{1,64}$' } },
} as const

export const deliveriesQuerySchema = {
  type: 'object',
  additionalProperties: false,
  properties: { limit: { type: 'integer', minimum: 1, maximum: 500, default: 50 } },
} as const

const nullableInteger = { type: ['integer', 'null'] } as const

export const deliverySchema = record({
  id: { type: 'integer' },
  event: { type: 'string', enum: WEBHOOK_EVENTS },
  status: { type: 'string', enum: ['pending', 'succeeded', 'failed'] },
  attempts: { type: 'integer' },
  createdAt: dateTime,
  deliveredAt: nullableDateTime,
  nextAttemptAt: nullableDateTime,
  lastStatusCode: nullableInteger,
  lastError: nullableString,
  correlationId: nullableString,
  history: {
    type: 'array',
    items: record({
      attempt: { type: 'integer' },
      at: dateTime,
      statusCode: nullableInteger,
      error: nullableString,
      durationMs: { type: 'integer' },
    }),
  },
})
export type Delivery = Answer<typeof deliverySchema>

export const deliveriesResponseSchema = record({ deliveries: { type: 'array', items: deliverySchema } })
export type DeliveriesResponse = Answer<typeof deliveriesResponseSchema>
