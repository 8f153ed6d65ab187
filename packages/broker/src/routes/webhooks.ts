/** Webhooks (admin only): subscriptions to broker events, and their delivery log. */
import { randomBytes } from 'node:crypto'
import type { FastifyPluginAsync } from 'fastify'
import { BrokerError, BrokerErrorCodes } from '../errors.js'
import { WEBHOOK_EVENTS, type WebhookEvent } from '../webhooks/events.js'
import { dateTime, doc, errors, guard, nullableDateTime, type RouteDeps } from './schemas.js'

interface CreateBody {
  url: string
  events: WebhookEvent[]
  description?: string
  secret?: string
}

const webhook = {
  type: 'object',
  properties: {
    id: { type: 'string' },
    url: { type: 'string' },
    events: { type: 'array', items: { type: 'string' } },
    description: { type: ['string', 'null'] },
    createdAt: dateTime,
  },
} as const

const idParams = { type: 'object', required: ['id'], properties: { id: { type: 'string', pattern: '^[A-Za-z0-9-]{1,64}$' } } } as const

/** Only http(s) with a host: no file:, data:, or credentials in the URL (they would be stored and listed). */
export function checkWebhookUrl(raw: string): URL {
  let url: URL
  try {
    url = new URL(raw)
  } catch {
    throw new BrokerError(BrokerErrorCodes.VALIDATION, 'body.url must be an absolute http(s) URL', { path: 'body.url' })
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new BrokerError(BrokerErrorCodes.VALIDATION, `body.url must be an http(s) URL, not ${url.protocol}`, { path: 'body.url' })
  }
  if (url.username || url.password) {
    throw new BrokerError(BrokerErrorCodes.VALIDATION, 'body.url must not carry credentials; the receiver checks the signature instead', {
      path: 'body.url',
    })
  }
  return url
}

export function webhookRoutes(deps: RouteDeps): FastifyPluginAsync {
  return async (app) => {
    app.post<{ Body: CreateBody }>(
      '/api/webhooks',
      {
        onRequest: guard(deps, 'admin'),
        schema: {
          ...doc('webhooks', 'admin', 'Subscribe a URL to broker events; the response carries the signing secret, once'),
          body: {
            type: 'object',
            required: ['url', 'events'],
            additionalProperties: false,
            properties: {
              url: { type: 'string', maxLength: 2048, description: 'http(s) URL receiving POSTs' },
              events: { type: 'array', minItems: 1, uniqueItems: true, items: { type: 'string', enum: [...WEBHOOK_EVENTS] } },
              description: { type: 'string', maxLength: 500 },
              secret: { type: 'string', minLength: 16, maxLength: 256, description: 'HMAC key; generated when left out' },
            },
          },
          response: {
            201: { type: 'object', properties: { ...webhook.properties, secret: { type: 'string' } } },
            ...errors(413, 415),
          },
        },
      },
      async (request, reply) => {
        const url = checkWebhookUrl(request.body.url)
        const secret = request.body.secret ?? randomBytes(32).toString('base64url')
        const created = await deps.store.createWebhook({
          url: url.toString(),
          events: request.body.events,
          ...(request.body.description === undefined ? {} : { description: request.body.description }),
          secret,
        })
        return reply.status(201).send({ ...created, secret })
      },
    )

    app.get(
      '/api/webhooks',
      {
        onRequest: guard(deps, 'admin'),
        schema: {
          ...doc('webhooks', 'admin', 'Every webhook (without secrets)'),
          response: { 200: { type: 'object', properties: { webhooks: { type: 'array', items: webhook } } }, ...errors() },
        },
      },
      async () => ({ webhooks: await deps.store.listWebhooks() }),
    )

    app.delete<{ Params: { id: string } }>(
      '/api/webhooks/:id',
      {
        onRequest: guard(deps, 'admin'),
        schema: {
          ...doc('webhooks', 'admin', 'Delete a webhook and its pending deliveries'),
          params: idParams,
          response: { 204: { type: 'null' }, ...errors(404) },
        },
      },
      async (request, reply) => {
        await deps.store.deleteWebhook(request.params.id)
        return reply.status(204).send()
      },
    )

    app.get<{ Params: { id: string }; Querystring: { limit: number } }>(
      '/api/webhooks/:id/deliveries',
      {
        onRequest: guard(deps, 'admin'),
        schema: {
          ...doc('webhooks', 'admin', 'The delivery log of a webhook, newest first, with every attempt'),
          params: idParams,
          querystring: {
            type: 'object',
            additionalProperties: false,
            properties: { limit: { type: 'integer', minimum: 1, maximum: 500, default: 50 } },
          },
          response: {
            200: {
              type: 'object',
              properties: {
                deliveries: {
                  type: 'array',
                  items: {
                    type: 'object',
                    properties: {
                      id: { type: 'integer' },
                      event: { type: 'string' },
                      status: { type: 'string', enum: ['pending', 'succeeded', 'failed'] },
                      attempts: { type: 'integer' },
                      createdAt: dateTime,
                      deliveredAt: nullableDateTime,
                      nextAttemptAt: nullableDateTime,
                      lastStatusCode: { type: ['integer', 'null'] },
                      lastError: { type: ['string', 'null'] },
                      correlationId: { type: ['string', 'null'] },
                      history: {
                        type: 'array',
                        items: {
                          type: 'object',
                          properties: {
                            attempt: { type: 'integer' },
                            at: dateTime,
                            statusCode: { type: ['integer', 'null'] },
                            error: { type: ['string', 'null'] },
                            durationMs: { type: 'integer' },
                          },
                        },
                      },
                    },
                  },
                },
              },
            },
            ...errors(404),
          },
        },
      },
      async (request) => ({ deliveries: await deps.store.listDeliveries(request.params.id, request.query.limit) }),
    )
  }
}
