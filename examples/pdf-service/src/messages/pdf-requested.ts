/**
 * `pdf.requested`: published by pdf-api when a job is accepted, consumed by pdf-worker.
 * Pure: no NATS, no database, so contract tests can import it as it is.
 */
import { type CorrelationHeaders, MessageInvalidError, requireNumber, requireObject, requireString } from './headers.js'

export const PDF_REQUESTED_SUBJECT = 'pdf.requested'

export const DOCUMENT_TYPES = ['invoice', 'report'] as const
export type DocumentType = (typeof DOCUMENT_TYPES)[number]

export interface PdfItem {
  sku: string
  qty: number
  price: number
}

export interface PdfRequested {
  jobId: string
  documentType: DocumentType
  title: string
  items: PdfItem[]
  /** When the job was accepted (ISO 8601); also the PDF's creation date, so rendering is deterministic. */
  requestedAt: string
}

/** A job as pdf-api stores it. */
export interface PdfJob {
  id: string
  documentType: DocumentType
  title: string
  items: PdfItem[]
  createdAt: Date
}

export interface PdfRequestedMessage {
  payload: PdfRequested
  headers: CorrelationHeaders
}

export function buildPdfRequested(job: PdfJob, correlationId: string): PdfRequestedMessage {
  return {
    payload: {
      jobId: job.id,
      documentType: job.documentType,
      title: job.title,
      items: job.items.map(({ sku, qty, price }) => ({ sku, qty, price })),
      requestedAt: job.createdAt.toISOString(),
    },
    headers: { 'Correlation-Id': correlationId },
  }
}

/** The JetStream message id: the job id, so a publish retried after a lost ack is stored once. */
export function pdfRequestedMsgId(jobId: string): string {
  return jobId
}

/** Reads a received payload (tolerant reader: extra fields are ignored). */
export function parsePdfRequested(value: unknown): PdfRequested {
  const channel = PDF_REQUESTED_SUBJECT
  const payload = requireObject(channel, value)
  const documentType = requireString(channel, payload, 'documentType')
  if (!(DOCUMENT_TYPES as readonly string[]).includes(documentType)) {
    throw new MessageInvalidError(channel, 'documentType', `must be one of ${DOCUMENT_TYPES.join(', ')}`)
  }
  const items = payload.items
  if (!Array.isArray(items) || items.length === 0) throw new MessageInvalidError(channel, 'items', 'must be a non-empty array')
  return {
    jobId: requireString(channel, payload, 'jobId'),
    documentType: documentType as DocumentType,
    title: requireString(channel, payload, 'title'),
    requestedAt: requireString(channel, payload, 'requestedAt'),
    items: items.map((raw, index) => {
      const item = requireObject(channel, raw, `items[${index}]`)
      return {
        sku: requireString(channel, item, 'sku', `items[${index}].sku`),
        qty: requireNumber(channel, item, 'qty', `items[${index}].qty`, 1),
        price: requireNumber(channel, item, 'price', `items[${index}].price`),
      }
    }),
  }
}
