/**
 * pdf-api's HTTP face, built without listening (tests use `inject`). The correlation id is taken
 * from `x-correlation-id` (or created) as fastify's request id, logged as `correlationId` on every
 * line of the request, returned in the response, and handed to the message that starts the job.
 */
import { randomUUID } from 'node:crypto'
import Fastify, { type FastifyBaseLogger, type FastifyInstance, LogController } from 'fastify'
import type { Logger } from 'pino'
import { correlationIdFrom, HTTP_CORRELATION_ID_HEADER } from '../messages/headers.js'
import { DOCUMENT_TYPES, type PdfItem, type PdfJob } from '../messages/pdf-requested.js'
import type { JobStore } from './job-store.js'
import type { Metrics } from './metrics.js'

export interface ApiDeps {
  jobs: JobStore
  /** Publishes `pdf.requested` for a stored job (retrying across leader elections). */
  publishRequest: (job: PdfJob, correlationId: string, log: Pick<Logger, 'warn'>) => Promise<void>
  log: Logger
  metrics: Metrics
  isReady: () => Promise<{ ready: boolean; checks: Record<string, boolean> }>
  newId?: () => string
  now?: () => Date
}

const UUID = '^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$'

const createPdfBody = {
  type: 'object',
  required: ['documentType', 'title', 'items'],
  additionalProperties: false,
  properties: {
    documentType: { type: 'string', enum: [...DOCUMENT_TYPES] },
    title: { type: 'string', minLength: 1, maxLength: 200 },
    items: {
      type: 'array',
      minItems: 1,
      maxItems: 1_000,
      items: {
        type: 'object',
        required: ['sku', 'qty', 'price'],
        additionalProperties: false,
        properties: {
          sku: { type: 'string', minLength: 1, maxLength: 64 },
          qty: { type: 'integer', minimum: 1, maximum: 1_000_000 },
          price: { type: 'number', minimum: 0, maximum: 1_000_000_000 },
        },
      },
    },
  },
} as const

const jobParams = { type: 'object', required: ['id'], properties: { id: { type: 'string', pattern: UUID } } } as const

interface CreatePdfBody {
  documentType: PdfJob['documentType']
  title: string
  items: PdfItem[]
}

export type ApiServer = FastifyInstance<
  import('node:http').Server,
  import('node:http').IncomingMessage,
  import('node:http').ServerResponse,
  FastifyBaseLogger
>

export function buildApi(deps: ApiDeps): ApiServer {
  const newId = deps.newId ?? randomUUID
  const now = deps.now ?? (() => new Date())
  const app = Fastify({
    loggerInstance: deps.log as FastifyBaseLogger,
    requestIdHeader: false,
    logController: new LogController({ requestIdLogLabel: 'correlationId' }),
    genReqId: (request) => correlationIdFrom(request.headers[HTTP_CORRELATION_ID_HEADER]),
    bodyLimit: 256 * 1024,
    ajv: { customOptions: { allErrors: false } },
  })
  const httpRequests = deps.metrics.counter('pdf_api_http_requests_total', 'HTTP requests by route and status.')
  const accepted = deps.metrics.counter('pdf_api_jobs_accepted_total', 'Jobs accepted (202).')
  const submitSeconds = deps.metrics.histogram(
    'pdf_api_submit_seconds',
    'Time to store and enqueue a job.',
    [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
  )

  app.addHook('onSend', async (request, reply) => {
    reply.header(HTTP_CORRELATION_ID_HEADER, request.id)
  })
  app.addHook('onResponse', async (request, reply) => {
    httpRequests({ route: request.routeOptions.url ?? 'unknown', method: request.method, status: reply.statusCode })
  })

  app.setErrorHandler((error: Error & { validation?: unknown; validationContext?: string; statusCode?: number }, request, reply) => {
    if (error.validation) {
      return reply.code(400).send({ code: 'PDF_REQUEST_INVALID', message: error.message, correlationId: request.id })
    }
    const status = error.statusCode && error.statusCode < 500 ? error.statusCode : 503
    request.log.error({ err: error.message }, 'request failed')
    return reply
      .code(status)
      .send({ code: status === 503 ? 'PDF_UNAVAILABLE' : 'PDF_REQUEST_FAILED', message: error.message, correlationId: request.id })
  })

  app.post<{ Body: CreatePdfBody }>('/pdfs', { schema: { body: createPdfBody } }, async (request, reply) => {
    const started = performance.now()
    const job: PdfJob = {
      id: newId(),
      documentType: request.body.documentType,
      title: request.body.title,
      items: request.body.items,
      createdAt: now(),
    }
    const log = request.log.child({ jobId: job.id })
    await deps.jobs.create(job, request.id)
    log.info({ documentType: job.documentType, items: job.items.length }, 'job stored (queued)')
    try {
      await deps.publishRequest(job, request.id, log)
    } catch (error) {
      const reason = `could not enqueue: ${error instanceof Error ? error.message : String(error)}`
      await deps.jobs.markFailed(job.id, reason).catch(() => undefined)
      throw error
    }
    log.info('pdf.requested published; job accepted')
    accepted()
    submitSeconds((performance.now() - started) / 1_000)
    return reply.code(202).header('location', `/pdfs/${job.id}`).send({ jobId: job.id })
  })

  app.get<{ Params: { id: string } }>('/pdfs/:id', { schema: { params: jobParams } }, async (request, reply) => {
    const job = await deps.jobs.get(request.params.id)
    if (!job) return reply.code(404).send({ code: 'PDF_JOB_NOT_FOUND', message: `no job ${request.params.id}` })
    return job
  })

  app.get<{ Params: { id: string } }>('/pdfs/:id/file', { schema: { params: jobParams } }, async (request, reply) => {
    const file = await deps.jobs.pdfFile(request.params.id)
    if (!file) return reply.code(404).send({ code: 'PDF_FILE_NOT_FOUND', message: `no PDF (yet) for job ${request.params.id}` })
    return reply
      .type('application/pdf')
      .header('content-disposition', `inline; filename="${request.params.id}.pdf"`)
      .send(Buffer.from(file))
  })

  app.get('/healthz', { logLevel: 'warn' }, async () => ({ status: 'ok' }))
  app.get('/readyz', { logLevel: 'warn' }, async (_request, reply) => {
    const result = await deps.isReady()
    return reply.code(result.ready ? 200 : 503).send(result)
  })
  app.get('/metrics', { logLevel: 'warn' }, async (_request, reply) => reply.type('text/plain; version=0.0.4').send(deps.metrics.render()))
  return app
}
