/**
 * `pdf.generated`: published by pdf-worker once the PDF is committed, consumed by pdf-api.
 * Pure: no NATS, no database, so contract tests can import it as it is.
 */
import { type CorrelationHeaders, requireNumber, requireObject, requireString } from './headers.js'

export const PDF_GENERATED_SUBJECT = 'pdf.generated'

/**
 * The JSDoc tags are this type's promise to its consumers, which `treaty verify --static` checks
 * against their contracts; the replayed producer tests check the code keeps it.
 */
export interface PdfGenerated {
  /** @format uuid */
  jobId: string
  /**
   * @integer
   * @minimum 1
   */
  pages: number
  /**
   * @integer
   * @minimum 1
   */
  bytes: number
  /**
   * Hex SHA-256 of the PDF file.
   * @pattern ^[0-9a-f]{64}$
   */
  sha256: string
}

export interface PdfGeneratedMessage {
  payload: PdfGenerated
  headers: CorrelationHeaders
}

export function buildPdfGenerated(pdf: PdfGenerated, correlationId: string): PdfGeneratedMessage {
  return {
    payload: { jobId: pdf.jobId, pages: pdf.pages, bytes: pdf.bytes, sha256: pdf.sha256 },
    headers: { 'Correlation-Id': correlationId },
  }
}

/** One event per job: a redelivered request republishes the same id and the stream drops the copy. */
export function pdfGeneratedMsgId(jobId: string): string {
  return `${jobId}:generated`
}

export function parsePdfGenerated(value: unknown): PdfGenerated {
  const channel = PDF_GENERATED_SUBJECT
  const payload = requireObject(channel, value)
  return {
    jobId: requireString(channel, payload, 'jobId'),
    pages: requireNumber(channel, payload, 'pages', 'pages', 1),
    bytes: requireNumber(channel, payload, 'bytes', 'bytes', 1),
    sha256: requireString(channel, payload, 'sha256'),
  }
}
