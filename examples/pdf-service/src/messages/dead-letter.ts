/** `pdf.deadletter`: where pdf-worker parks a poison message, with the reason, for an operator. */
import type { CorrelationHeaders } from './headers.js'

export const PDF_DEADLETTER_SUBJECT = 'pdf.deadletter'

export interface PdfDeadLetter {
  /** `null` when the payload was too broken to name its job. */
  jobId: string | null
  reason: string
  deliveries: number
  subject: string
  /** The original payload, as text (it may not be JSON). */
  payload: string
}

export function buildPdfDeadLetter(letter: PdfDeadLetter, correlationId: string): { payload: PdfDeadLetter; headers: CorrelationHeaders } {
  return { payload: letter, headers: { 'Correlation-Id': correlationId } }
}
