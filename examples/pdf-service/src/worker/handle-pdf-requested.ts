/**
 * What pdf-worker does with one `pdf.requested`, apart from NATS: read it, render the PDF, store it
 * once, and return the `pdf.generated` message to publish. A redelivered request finds its PDF
 * already stored and returns the same event without rendering again.
 */
import type { Logger } from 'pino'
import { correlationIdOf } from '../messages/headers.js'
import { buildPdfGenerated, type PdfGeneratedMessage } from '../messages/pdf-generated.js'
import { parsePdfRequested } from '../messages/pdf-requested.js'
import type { PdfStore } from './pdf-store.js'
import { type RenderedPdf, renderPdf } from './render.js'

export interface IncomingMessage {
  payload: unknown
  headers?: Readonly<Record<string, unknown>>
}

export interface PdfRequestedDeps {
  store: PdfStore
  log: Logger
  render?: typeof renderPdf
}

export interface PdfRequestedOutcome {
  /** The event to publish on `pdf.generated` (with the request's correlation id). */
  event: PdfGeneratedMessage
  /** True when the PDF was already stored (a redelivery): nothing was rendered or written. */
  duplicate: boolean
  log: Logger
}

export async function handlePdfRequested(message: IncomingMessage, deps: PdfRequestedDeps): Promise<PdfRequestedOutcome> {
  const { correlationId, generated } = correlationIdOf(message.headers)
  const request = parsePdfRequested(message.payload)
  const log = deps.log.child({ correlationId, jobId: request.jobId })
  if (generated) log.warn('pdf.requested had no Correlation-Id header; using a new one')

  const existing = await deps.store.find(request.jobId)
  if (existing) {
    log.info({ sha256: existing.sha256 }, 'pdf already stored for this job (redelivery); re-announcing it')
    return { event: buildPdfGenerated(existing, correlationId), duplicate: true, log }
  }
  const started = performance.now()
  const pdf: RenderedPdf = await (deps.render ?? renderPdf)(request)
  const inserted = await deps.store.insert({ jobId: request.jobId, ...pdf })
  const stored = inserted
    ? { jobId: request.jobId, pages: pdf.pages, bytes: pdf.bytes, sha256: pdf.sha256 }
    : await deps.store.find(request.jobId)
  if (!stored) throw new Error(`pdf for job ${request.jobId} neither inserted nor found`)
  log.info(
    { pages: pdf.pages, bytes: pdf.bytes, ms: Math.round(performance.now() - started), duplicate: !inserted },
    'pdf generated and stored',
  )
  return { event: buildPdfGenerated(stored, correlationId), duplicate: !inserted, log }
}
