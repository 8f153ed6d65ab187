/** pdf-api's jobs: PostgreSQL in the service, memory in tests. Every status change is also appended to `job_transitions`. */
import type { FailoverPool } from '../db/failover-pool.js'
import { markJobFailed } from '../db/job-transitions.js'
import type { PdfGenerated } from '../messages/pdf-generated.js'
import type { PdfJob } from '../messages/pdf-requested.js'

export type JobStatus = 'queued' | 'done' | 'failed'

export interface JobView {
  jobId: string
  status: JobStatus
  documentType: PdfJob['documentType']
  title: string
  correlationId: string
  createdAt: string
  doneAt: string | null
  failureReason: string | null
  pdf: { pages: number; bytes: number; sha256: string } | null
}

export interface JobStore {
  /** Idempotent on the job id: retried after a lost commit ack, it writes nothing twice. */
  create(job: PdfJob, correlationId: string): Promise<void>
  get(jobId: string): Promise<JobView | null>
  pdfFile(jobId: string): Promise<Uint8Array | null>
  /** queued → done, once. Returns false when the job was already done (a duplicate event) or is unknown. */
  markDone(event: PdfGenerated): Promise<boolean>
  /** queued → failed (e.g. the request could not be enqueued). */
  markFailed(jobId: string, reason: string): Promise<void>
}

export function pgJobStore(db: FailoverPool): JobStore {
  return {
    async create(job, correlationId) {
      await db.tx(async (client) => {
        const { rowCount } = await client.query(
          `INSERT INTO jobs (id, document_type, title, items, correlation_id, status, created_at)
           VALUES ($1, $2, $3, $4, $5, 'queued', $6) ON CONFLICT (id) DO NOTHING`,
          [job.id, job.documentType, job.title, JSON.stringify(job.items), correlationId, job.createdAt],
        )
        if (rowCount === 1) await client.query("INSERT INTO job_transitions (job_id, status) VALUES ($1, 'queued')", [job.id])
      })
    },
    async get(jobId) {
      const { rows } = await db.query<{
        id: string
        status: JobStatus
        document_type: PdfJob['documentType']
        title: string
        correlation_id: string
        created_at: Date
        done_at: Date | null
        failure_reason: string | null
        pages: number | null
        bytes: number | null
        sha256: string | null
      }>(
        `SELECT j.id, j.status, j.document_type, j.title, j.correlation_id, j.created_at, j.done_at, j.failure_reason, p.pages, p.bytes, p.sha256
         FROM jobs j LEFT JOIN pdfs p ON p.job_id = j.id WHERE j.id = $1`,
        [jobId],
      )
      const row = rows[0]
      if (!row) return null
      return {
        jobId: row.id,
        status: row.status,
        documentType: row.document_type,
        title: row.title,
        correlationId: row.correlation_id,
        createdAt: row.created_at.toISOString(),
        doneAt: row.done_at?.toISOString() ?? null,
        failureReason: row.failure_reason,
        pdf: row.sha256 === null ? null : { pages: row.pages!, bytes: row.bytes!, sha256: row.sha256 },
      }
    },
    async pdfFile(jobId) {
      const { rows } = await db.query<{ content: Buffer }>('SELECT content FROM pdfs WHERE job_id = $1', [jobId])
      return rows[0]?.content ?? null
    },
    async markDone(event) {
      return db.tx(async (client) => {
        // The status guard makes a redelivered event a no-op, also when this transaction is retried after a lost commit ack.
        const { rowCount } = await client.query(
          "UPDATE jobs SET status = 'done', done_at = clock_timestamp() WHERE id = $1 AND status = 'queued'",
          [event.jobId],
        )
        if (rowCount !== 1) return false
        await client.query("INSERT INTO job_transitions (job_id, status, detail) VALUES ($1, 'done', $2)", [event.jobId, event.sha256])
        return true
      })
    },
    markFailed: (jobId, reason) => markJobFailed(db, jobId, reason),
  }
}

/** Same semantics in memory, for tests that run the api without PostgreSQL. */
export function memoryJobStore(): JobStore & { jobs: Map<string, JobView & { items: PdfJob['items'] }>; files: Map<string, Uint8Array> } {
  const jobs = new Map<string, JobView & { items: PdfJob['items'] }>()
  const files = new Map<string, Uint8Array>()
  return {
    jobs,
    files,
    async create(job, correlationId) {
      if (jobs.has(job.id)) return
      jobs.set(job.id, {
        jobId: job.id,
        status: 'queued',
        documentType: job.documentType,
        title: job.title,
        items: job.items,
        correlationId,
        createdAt: job.createdAt.toISOString(),
        doneAt: null,
        failureReason: null,
        pdf: null,
      })
    },
    async get(jobId) {
      const job = jobs.get(jobId)
      if (!job) return null
      const { items: _items, ...view } = job
      return view
    },
    async pdfFile(jobId) {
      return files.get(jobId) ?? null
    },
    async markDone(event) {
      const job = jobs.get(event.jobId)
      if (job?.status !== 'queued') return false
      job.status = 'done'
      job.doneAt = new Date().toISOString()
      job.pdf = { pages: event.pages, bytes: event.bytes, sha256: event.sha256 }
      return true
    },
    async markFailed(jobId, reason) {
      const job = jobs.get(jobId)
      if (job?.status !== 'queued') return
      job.status = 'failed'
      job.failureReason = reason
    },
  }
}
