/** What pdf-api does with one `pdf.generated`, apart from NATS: mark the job done, once. */
import type { Logger } from 'pino'
import { correlationIdOf } from '../messages/headers.js'
import { parsePdfGenerated } from '../messages/pdf-generated.js'
import type { JobStore } from './job-store.js'

export interface PdfGeneratedDeps {
  jobs: Pick<JobStore, 'markDone'>
  log: Logger
}

export interface PdfGeneratedOutcome {
  jobId: string
  /** False for a duplicate event (the job was already done) or an unknown job. */
  transitioned: boolean
  log: Logger
}

export async function handlePdfGenerated(
  message: { payload: unknown; headers?: Readonly<Record<string, unknown>> },
  deps: PdfGeneratedDeps,
): Promise<PdfGeneratedOutcome> {
  const { correlationId, generated } = correlationIdOf(message.headers)
  const event = parsePdfGenerated(message.payload)
  const log = deps.log.child({ correlationId, jobId: event.jobId })
  if (generated) log.warn('pdf.generated had no Correlation-Id header; using a new one')
  const transitioned = await deps.jobs.markDone(event)
  if (transitioned) log.info({ pages: event.pages, bytes: event.bytes, sha256: event.sha256 }, 'job done')
  else log.info('pdf.generated for a job that is not queued (duplicate event); ignored')
  return { jobId: event.jobId, transitioned, log }
}
