/**
 * Probes and metrics, open without a token (load balancers and Prometheus do not carry one):
 * /healthz says the process answers, /readyz that it can reach its store, /metrics is Prometheus text.
 */
import type { FastifyPluginAsync, FastifySchema } from 'fastify'
import type { RouteDeps } from './schemas.js'

/** A store that does not answer within this is as good as down for a readiness probe. */
const READY_TIMEOUT_MS = 2_000

const status = {
  type: 'object',
  properties: { status: { type: 'string' }, store: { type: 'string' }, error: { type: 'string' } },
} as const

export function healthRoutes(deps: RouteDeps): FastifyPluginAsync {
  return async (app) => {
    app.get('/healthz', { schema: { tags: ['operations'], summary: 'Liveness', response: { 200: status } } }, async () => ({
      status: 'ok',
    }))

    app.get(
      '/readyz',
      { schema: { tags: ['operations'], summary: 'Readiness: the store answers', response: { 200: status, 503: status } } },
      async (_request, reply) => {
        let timer: NodeJS.Timeout | undefined
        try {
          await Promise.race([
            deps.store.ping(),
            new Promise((_, reject) => {
              timer = setTimeout(() => reject(new Error('store did not answer in time')), READY_TIMEOUT_MS)
            }),
          ])
          return { status: 'ready', store: deps.store.driver }
        } catch (err) {
          reply.log.warn({ err }, 'readiness check failed')
          return reply.status(503).send({ status: 'unavailable', store: deps.store.driver, error: 'the store does not answer' })
        } finally {
          clearTimeout(timer)
        }
      },
    )

    const metricsSchema: FastifySchema = { tags: ['operations'], summary: 'Prometheus metrics (text exposition format)' }
    app.get('/metrics', { schema: metricsSchema }, async (_request, reply) => {
      const text = await deps.metrics.render()
      return reply.type('text/plain; version=0.0.4; charset=utf-8').send(text)
    })
  }
}
