/** Webhooks (admin only): subscriptions to broker events, and their delivery log. */
import { randomBytes } from 'node:crypto'
import {
  createWebhookRequestSchema,
  deliveriesQuerySchema,
  deliveriesResponseSchema,
  type Received,
  type Served,
  webhookCreatedSchema,
  webhookParamsSchema,
  webhooksResponseSchema,
} from '@treaty/core/wire'
import type { FastifyPluginAsync } from 'fastify'
import { BrokerError, BrokerErrorCodes } from '../errors.js'
import { doc, errors, guard, type RouteDeps } from './schemas.js'

type Params = Received<typeof webhookParamsSchema>

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
    app.post<{ Body: Received<typeof createWebhookRequestSchema>; Reply: Served<typeof webhookCreatedSchema> }>(
      '/api/webhooks',
      {
        onRequest: guard(deps, 'admin'),
        schema: {
          ...doc('webhooks', 'admin', 'Subscribe a URL to broker events; the response carries the signing secret, once'),
          body: createWebhookRequestSchema,
          response: {
            201: webhookCreatedSchema,
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

    app.get<{ Reply: Served<typeof webhooksResponseSchema> }>(
      '/api/webhooks',
      {
        onRequest: guard(deps, 'admin'),
        schema: {
          ...doc('webhooks', 'admin', 'Every webhook (without secrets)'),
          response: { 200: webhooksResponseSchema, ...errors() },
        },
      },
      async () => ({ webhooks: await deps.store.listWebhooks() }),
    )

    app.delete<{ Params: Params }>(
      '/api/webhooks/:id',
      {
        onRequest: guard(deps, 'admin'),
        schema: {
          ...doc('webhooks', 'admin', 'Delete a webhook and its pending deliveries'),
          params: webhookParamsSchema,
          response: { 204: { type: 'null' }, ...errors(404) },
        },
      },
      async (request, reply) => {
        await deps.store.deleteWebhook(request.params.id)
        return reply.status(204).send()
      },
    )

    app.get<{ Params: Params; Querystring: Received<typeof deliveriesQuerySchema>; Reply: Served<typeof deliveriesResponseSchema> }>(
      '/api/webhooks/:id/deliveries',
      {
        onRequest: guard(deps, 'admin'),
        schema: {
          ...doc('webhooks', 'admin', 'The delivery log of a webhook, newest first, with every attempt'),
          params: webhookParamsSchema,
          querystring: deliveriesQuerySchema,
          response: {
            200: deliveriesResponseSchema,
            ...errors(404),
          },
        },
      },
      async (request) => ({ deliveries: await deps.store.listDeliveries(request.params.id, request.query.limit) }),
    )
  }
}
