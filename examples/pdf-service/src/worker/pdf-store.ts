/** Where pdf-worker keeps PDFs: PostgreSQL in the service, memory in tests. */
import type { FailoverPool } from '../db/failover-pool.js'
import { markJobFailed } from '../db/job-transitions.js'
import type { PdfGenerated } from '../messages/pdf-generated.js'

export interface StoredPdf extends PdfGenerated {
  content: Uint8Array
}

export interface PdfStore {
  /** The PDF already stored for a job (a redelivery), without its content. */
  find(jobId: string): Promise<PdfGenerated | null>
  /** Stores once per job: returns false when a PDF for the job was already there (nothing written). */
  insert(pdf: StoredPdf): Promise<boolean>
  /** Marks a poison job failed, with the reason. */
  markFailed(jobId: string, reason: string): Promise<void>
}

export function pgPdfStore(db: FailoverPool): PdfStore {
  return {
    async find(jobId) {
      const { rows } = await db.query<{ pages: number; bytes: number; sha256: string }>(
        'SELECT pages, bytes, sha256 FROM pdfs WHERE job_id = $1',
        [jobId],
      )
      const row = rows[0]
      return row ? { jobId, pages: row.pages, bytes: row.bytes, sha256: row.sha256 } : null
    },
    async insert(pdf) {
      // ON CONFLICT DO NOTHING keeps the insert idempotent, also when the commit's ack was lost and the transaction is retried.
      const { rowCount } = await db.query(
        'INSERT INTO pdfs (job_id, pages, bytes, sha256, content) VALUES ($1, $2, $3, $4, $5) ON CONFLICT (job_id) DO NOTHING',
        [pdf.jobId, pdf.pages, pdf.bytes, pdf.sha256, Buffer.from(pdf.content)],
      )
      return rowCount === 1
    },
    markFailed: (jobId, reason) => markJobFailed(db, jobId, reason),
  }
}

/** In-memory store with the same semantics, for tests that run the handler without PostgreSQL. */
export function memoryPdfStore(): PdfStore & { pdfs: Map<string, StoredPdf>; failed: Map<string, string> } {
  const pdfs = new Map<string, StoredPdf>()
  const failed = new Map<string, string>()
  return {
    pdfs,
    failed,
    async find(jobId) {
      const pdf = pdfs.get(jobId)
      return pdf ? { jobId, pages: pdf.pages, bytes: pdf.bytes, sha256: pdf.sha256 } : null
    },
    async insert(pdf) {
      if (pdfs.has(pdf.jobId)) return false
      pdfs.set(pdf.jobId, pdf)
      return true
    },
    async markFailed(jobId, reason) {
      failed.set(jobId, reason)
    },
  }
}
