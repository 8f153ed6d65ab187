/**
 * buildBroker: the whole broker as one fastify instance, ready for `inject` (tests) or `listen` (server.ts).
 * Wiring only: storage, auth, logging, errors, metrics, OpenAPI, routes, the webhook worker.
 */
import { randomUUID } from 'node:crypto'
import swagger from '@fastify/swagger'
import {
  DEFAULT_BODY_LIMIT,
  DEFAULT_HEADERS_TIMEOUT_MS,
  DEFAULT_MAX_CONNECTIONS,
  DEFAULT_REQUEST_TIMEOUT_MS,
} from '@treaty/core/broker-options'
import Fastify, { type FastifyBaseLogger, type FastifyInstance, LogController } from 'fastify'
import { assertTokenHygiene, TokenAuth, type Tokens } from './auth.js'
import { BrokerError, BrokerErrorCodes, errorBody } from './errors.js'
import { toBrokerError } from './http/errors.js'
import { clientErrorHandler, frameworkErrors } from './http/framework-errors.js'
import { installJsonBodyParser } from './http/json-body.js'
import { routeValidatorCompiler } from './http/validator-compiler.js'
import { CORRELATION_HEADER, correlationIdOf, createLogger, defaultLogLevel, type LogLevel } from './logging.js'
import { Metrics } from './metrics.js'
import { channelRoutes } from './routes/channels.js'
import { contractRoutes } from './routes/contracts.js'
import { deletionRoutes } from './routes/deletions.js'
import { environmentRoutes } from './routes/environments.js'
import { healthRoutes } from './routes/health.js'
import { impactRoutes } from './routes/impact.js'
import { matrixRoutes } from './routes/matrix.js'
import { observationRoutes } from './routes/observations.js'
import { pairRoutes } from './routes/pairs.js'
import { providerSchemaRoutes } from './routes/provider-schemas.js'
import { releaseRoutes } from './routes/releases.js'
import type { RouteDeps } from './routes/schemas.js'
import { serviceRoutes } from './routes/services.js'
import { uiRoutes } from './routes/ui.js'
import { verificationRoutes } from './routes/verifications.js'
import { webhookRoutes } from './routes/webhooks.js'
import { openStore, type Store, type StoreOptions } from './store/store.js'
import { WebhookWorker, type WebhookWorkerOptions } from './webhooks/worker.js'

export { DEFAULT_BODY_LIMIT, DEFAULT_HEADERS_TIMEOUT_MS, DEFAULT_MAX_CONNECTIONS, DEFAULT_REQUEST_TIMEOUT_MS }

/**
 * The JSON API, one plugin per resource. Their schemas are @treaty/core/wire's objects
 * (test/wire-single-source.test.ts checks every route registered here).
 */
export const API_ROUTES = [
  contractRoutes,
  serviceRoutes,
  verificationRoutes,
  providerSchemaRoutes,
  environmentRoutes,
  releaseRoutes,
  deletionRoutes,
  matrixRoutes,
  observationRoutes,
  webhookRoutes,
  channelRoutes,
  impactRoutes,
  pairRoutes,
] as const

export interface BrokerOptions extends StoreOptions {
  /** An already open store to use instead of opening one from `databaseUrl`/`dataDir`; the caller closes it. */
  store?: Store
  /** Bearer tokens per level. None configured: the broker is open (and says so loudly). */
  tokens?: Tokens
  /** Largest accepted request body, in bytes (default 10 MB). */
  bodyLimit?: number
  /** A pino logger to use; otherwise one is made at `logLevel` writing to stdout. */
  logger?: FastifyBaseLogger
  logLevel?: LogLevel
  /** Webhook delivery; `enabled: false` leaves deliveries queued (for a broker that only serves reads). */
  webhooks?: WebhookWorkerOptions & { enabled?: boolean }
  /**
   * Host names an open broker (no tokens) answers to, besides localhost, 127.0.0.1 and [::1]: a page in a
   * developer's browser could otherwise reach it through DNS rebinding. `'*'` turns the check off.
   */
  allowedHosts?: readonly string[]
  /** Serve the SVG badges without a token (they otherwise need a read token like the API). */
  publicBadges?: boolean
  /** Open client connections at most (default 1000); the server closes any beyond at once. */
  maxClientConnections?: number
  /** Time to receive a whole request, body included (default 30 s); a client trickling a body is cut off. */
  requestTimeoutMs?: number
  /** Time to receive a request's headers (default 10 s; never more than `requestTimeoutMs`). */
  headersTimeoutMs?: number
}

const LOOPBACK_NAMES = ['localhost', '127.0.0.1', '[::1]', '::1']

export async function buildBroker(options: BrokerOptions = {}): Promise<FastifyInstance> {
  const bodyLimit = options.bodyLimit ?? DEFAULT_BODY_LIMIT
  if (!Number.isInteger(bodyLimit) || bodyLimit < 1024) {
    throw new BrokerError(BrokerErrorCodes.CONFIG_INVALID, `bodyLimit must be a whole number of bytes of at least 1024, not ${bodyLimit}`)
  }
  assertTokenHygiene(options.tokens ?? {})
  const logger = options.logger ?? createLogger(options.logLevel ?? defaultLogLevel())
  const store =
    options.store ??
    (await openStore({
      ...options,
      onIdleError: (err) =>
        logger.warn(
          { code: (err as { code?: string }).code, error: err.message },
          'a PostgreSQL connection failed while idle; the pool replaces it',
        ),
    }))
  const ownsStore = options.store === undefined
  const auth = new TokenAuth(options.tokens)
  const metrics = new Metrics()

  const requestTimeout = options.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS
  const headersTimeout = Math.min(options.headersTimeoutMs ?? DEFAULT_HEADERS_TIMEOUT_MS, requestTimeout)
  const app = Fastify({
    loggerInstance: logger,
    logController: new LogController({ requestIdLogLabel: 'correlationId' }),
    genReqId: (req) => correlationIdOf(req, randomUUID),
    bodyLimit,
    requestTimeout,
    // Node checks both timeouts every connectionsCheckingInterval (30 s by default, which would double them).
    http: { headersTimeout, connectionsCheckingInterval: Math.min(1000, Math.ceil(headersTimeout / 2)) },
    frameworkErrors,
    clientErrorHandler,
    // Requests arriving while closing get our own 503 (below), in the one error shape.
    return503OnClosing: false,
    forceCloseConnections: 'idle',
  })
  app.setValidatorCompiler(routeValidatorCompiler())
  app.decorateRequest('principal', null)
  app.server.maxConnections = options.maxClientConnections ?? DEFAULT_MAX_CONNECTIONS

  try {
    const worker = new WebhookWorker(store, logger.child({ component: 'webhooks' }), metrics, options.webhooks)
    const stopListening = store.onDeliveriesQueued(() => worker.wake())
    metrics.addGauge({
      name: 'treaty_webhook_queue_depth',
      help: 'Webhook deliveries not yet made (pending).',
      read: () => store.queueDepth(),
    })

    let closing = false
    app.addHook('preClose', (done) => {
      closing = true
      done()
    })
    app.addHook('onRequest', (request, reply, done) => {
      reply.header(CORRELATION_HEADER, request.id)
      if (!closing) return done()
      reply.header('connection', 'close')
      done(
        new BrokerError(
          BrokerErrorCodes.SHUTTING_DOWN,
          'this broker is shutting down; retry, another instance (or this one restarted) will answer',
        ),
      )
    })
    const allowed = new Set([...LOOPBACK_NAMES, ...(options.allowedHosts ?? [])].map((h) => h.toLowerCase()))
    if (!auth.enabled && !allowed.has('*')) {
      app.addHook('onRequest', (request, _reply, done) => {
        if (allowed.has(request.hostname.toLowerCase())) return done()
        done(
          new BrokerError(
            BrokerErrorCodes.HOST_NOT_ALLOWED,
            'this broker has no tokens, so it answers only to the host names it was started for (TREATY_ALLOWED_HOSTS adds names; configure tokens to open it up)',
            { path: 'headers.host' },
          ),
        )
      })
    }
    app.addHook('onResponse', (request, reply, done) => {
      const route = request.routeOptions.url ?? 'unmatched'
      metrics.httpRequests.inc({ method: request.method, route, status: String(reply.statusCode) })
      metrics.httpDuration.observe({ method: request.method, route }, reply.elapsedTime / 1000)
      done()
    })
    // JSON only: a text/plain or form body gets a clear 415 instead of being half-understood.
    app.removeContentTypeParser('text/plain')
    installJsonBodyParser(app)

    app.setErrorHandler((err, request, reply) => {
      const e = toBrokerError(err, request.id, bodyLimit)
      if (e.statusCode >= 500) request.log.error({ err }, 'request failed')
      else request.log.info({ code: e.code, path: e.path }, e.message)
      return reply.status(e.statusCode).send(errorBody(e))
    })
    // The path is the caller's input, not echoed back (the log has it, without its query string).
    app.setNotFoundHandler((_request, reply) =>
      reply
        .status(404)
        .send(
          errorBody(
            new BrokerError(BrokerErrorCodes.ROUTE_NOT_FOUND, 'no route for this method and path; GET /docs/openapi.json lists the routes'),
          ),
        ),
    )

    await app.register(swagger, {
      openapi: {
        openapi: '3.0.3',
        info: {
          title: 'Treaty broker',
          version: '1',
          description: 'Stores contracts, verification results, environments and deployments; answers can-i-deploy.',
        },
        components: { securitySchemes: { bearerAuth: { type: 'http', scheme: 'bearer' } } },
      },
    })
    app.get('/docs/openapi.json', { schema: { hide: true } }, async () => app.swagger())

    const deps: RouteDeps = { store, auth, metrics }
    await app.register(healthRoutes(deps))
    for (const routes of API_ROUTES) await app.register(routes(deps))
    await app.register(uiRoutes(deps, { publicBadges: options.publicBadges === true }))

    if (options.webhooks?.enabled !== false) app.addHook('onReady', async () => worker.start())
    app.addHook('onClose', async () => {
      stopListening()
      await worker.stop()
      if (ownsStore) await store.close()
    })

    if (!auth.enabled) {
      logger.warn(
        'SECURITY: no token configured (TREATY_READ_TOKEN, TREATY_WRITE_TOKEN, TREATY_ADMIN_TOKEN): anyone who can reach this broker can publish, record deployments and manage webhooks',
      )
    }
    logger.info({ store: store.location }, 'store open')
    return app
  } catch (err) {
    if (ownsStore) await store.close().catch(() => {})
    throw err
  }
}
