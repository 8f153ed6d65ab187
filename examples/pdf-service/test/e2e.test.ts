/**
 * Proof 1 (end to end) and the correlation-id proof, on the real system: three NATS nodes in three
 * zones, PostgreSQL primary + synchronous standby, pdf-api and a pdf-worker as processes.
 */
import { createHash, randomUUID } from 'node:crypto'
import { jetstream } from '@nats-io/jetstream'
import { connect, type Msg, type NatsConnection, headers as natsHeaders } from '@nats-io/transport-node'
import { PDFDocument } from 'pdf-lib'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { natsUrls } from '../src/infra/nats-cluster.js'
import { waitFor } from '../src/infra/processes.js'
import { PDF_DEADLETTER_SUBJECT } from '../src/messages/dead-letter.js'
import { PDF_GENERATED_SUBJECT } from '../src/messages/pdf-generated.js'
import { PDF_REQUESTED_SUBJECT } from '../src/messages/pdf-requested.js'
import { pageCountFor } from '../src/worker/render.js'
import { isQuiet, queueState, readLog, type Service, sampleBody, startSystem, submit, type TestSystem, waitForStatus } from './harness.js'

let system: TestSystem
let nc: NatsConnection
let api: Service
let worker: Service
const events = new Map<
  string,
  { payload: { jobId: string; pages: number; bytes: number; sha256: string }; correlationId: string | undefined }[]
>()
const deadLetters: { payload: { jobId: string; reason: string; deliveries: number }; correlationId: string | undefined }[] = []

function record(msg: Msg) {
  const payload = msg.json<{ jobId: string; pages: number; bytes: number; sha256: string; reason: string; deliveries: number }>()
  const correlationId = msg.headers?.get('Correlation-Id')
  if (msg.subject === PDF_DEADLETTER_SUBJECT) deadLetters.push({ payload, correlationId })
  else events.set(payload.jobId, [...(events.get(payload.jobId) ?? []), { payload, correlationId }])
}

beforeAll(async () => {
  system = await startSystem({
    env: { WORKER_ACK_WAIT_MS: '2000', WORKER_MAX_DELIVER: '3', WORKER_BACKOFF_MS: '200,400', WORKER_CONCURRENCY: '4' },
  })
  nc = await connect({ servers: natsUrls(system.state) })
  // Plain subscriptions see what the services publish to JetStream, headers included.
  nc.subscribe(PDF_GENERATED_SUBJECT, { callback: (_error, msg) => record(msg) })
  nc.subscribe(PDF_DEADLETTER_SUBJECT, { callback: (_error, msg) => record(msg) })
  await nc.flush()
  api = await system.start('api')
  worker = await system.start('worker')
}, 180_000)

afterAll(async () => {
  await nc?.close()
  await system?.close()
}, 120_000)

describe('pdf-service end to end', () => {
  test('accepted jobs become real PDFs whose page count and sha256 match the pdf.generated event', async () => {
    const bodies = [sampleBody(0, 3), sampleBody(1, 85), sampleBody(2, 40), sampleBody(3, 41)]
    const accepted = await Promise.all(bodies.map((body) => submit(system.apiUrl, body)))
    for (const response of accepted) expect(response.status).toBe(202)

    for (const [index, response] of accepted.entries()) {
      const jobId = response.jobId!
      const job = await waitForStatus(system.apiUrl, jobId, 'done')
      const file = await fetch(`${system.apiUrl}/pdfs/${jobId}/file`)
      expect(file.status).toBe(200)
      expect(file.headers.get('content-type')).toBe('application/pdf')
      const bytes = new Uint8Array(await file.arrayBuffer())
      expect(Buffer.from(bytes.subarray(0, 5)).toString('latin1')).toBe('%PDF-')

      const pages = (await PDFDocument.load(bytes)).getPageCount()
      const sha256 = createHash('sha256').update(bytes).digest('hex')
      const [event, ...more] = await waitFor(`pdf.generated for ${jobId}`, async () => events.get(jobId), 10_000)
      // A plain subscriber also sees a re-publish after a redelivery (the stream drops it by msgID): it must say the same.
      for (const copy of more) expect(copy.payload).toEqual(event!.payload)
      expect(pages).toBe(pageCountFor(bodies[index]!.items.length))
      expect(event!.payload).toEqual({ jobId, pages, bytes: bytes.byteLength, sha256 })
      expect(job.pdf).toEqual({ pages, bytes: bytes.byteLength, sha256 })
    }
    // 85 items at 40 per page: the multi-page path is exercised, not only one-page documents.
    expect(events.get(accepted[1]!.jobId!)![0]!.payload.pages).toBe(3)
  })

  test('a redelivered pdf.requested creates no second PDF and no second done', async () => {
    const { jobId } = await submit(system.apiUrl, sampleBody(7))
    await waitForStatus(system.apiUrl, jobId!, 'done')
    // Publish the same request again under a new msgID, so JetStream's deduplication does not hide it: the worker must.
    const { rows } = await system.db.query<{
      title: string
      items: unknown
      created_at: Date
      correlation_id: string
      document_type: string
    }>('SELECT title, items, created_at, correlation_id, document_type FROM jobs WHERE id = $1', [jobId])
    const job = rows[0]!
    const js = jetstream(nc)
    const hdrs = natsHeaders()
    hdrs.set('Correlation-Id', job.correlation_id)
    const payload = {
      jobId,
      documentType: job.document_type,
      title: job.title,
      items: job.items,
      requestedAt: job.created_at.toISOString(),
    }
    await js.publish(PDF_REQUESTED_SUBJECT, JSON.stringify(payload), { msgID: `${jobId}:replay`, headers: hdrs })

    await waitFor(
      'the replay to be handled',
      async () => readLog(worker.logFile).some(({ line }) => line.jobId === jobId && /already stored/.test(line.msg)),
      20_000,
    )
    await waitFor('queues to drain', async () => isQuiet(await queueState(system.state)), 20_000)
    const pdfRows = await system.db.query<{ n: string }>('SELECT count(*) AS n FROM pdfs WHERE job_id = $1', [jobId])
    const doneRows = await system.db.query<{ n: string }>(
      "SELECT count(*) AS n FROM job_transitions WHERE job_id = $1 AND status = 'done'",
      [jobId],
    )
    expect(Number(pdfRows.rows[0]!.n)).toBe(1)
    expect(Number(doneRows.rows[0]!.n)).toBe(1)
  })

  test('a poison message goes to pdf.deadletter after max-deliver attempts and its job is failed with the reason', async () => {
    // Helvetica (a standard PDF font) encodes WinAnsi only: this title can never be rendered.
    const { status, jobId } = await submit(system.apiUrl, { ...sampleBody(8), title: 'Snowman \u2603' })
    expect(status).toBe(202)
    const job = await waitForStatus(system.apiUrl, jobId!, 'failed', 30_000)
    expect(job.failureReason).toMatch(/WinAnsi cannot encode/)
    const letter = await waitFor('the dead letter', async () => deadLetters.find((entry) => entry.payload.jobId === jobId), 10_000)
    expect(letter.payload.deliveries).toBe(3)
    expect(letter.payload.reason).toMatch(/WinAnsi/)
    const attempts = readLog(worker.logFile).filter(({ line }) => line.jobId === jobId && line.msg === 'pdf.requested received')
    expect(attempts.map(({ line }) => line.deliveries)).toEqual([1, 2, 3])
    await waitFor('queues to drain', async () => isQuiet(await queueState(system.state)), 20_000)
  })

  test('the correlation id travels HTTP -> pdf.requested -> worker -> pdf.generated -> api, on every log line of the job', async () => {
    const correlationId = `e2e-${randomUUID()}`
    const response = await submit(system.apiUrl, sampleBody(9), correlationId)
    expect(response.status).toBe(202)
    const jobId = response.jobId!
    await waitForStatus(system.apiUrl, jobId, 'done', 60_000, correlationId)
    expect((await waitFor('event', async () => events.get(jobId), 10_000))[0]!.correlationId).toBe(correlationId)

    const apiLines = readLog(api.logFile)
    const workerLines = readLog(worker.logFile)
    const ofJob = (lines: ReturnType<typeof readLog>) =>
      lines.filter(({ raw, line }) => line.jobId === jobId || raw.includes(jobId) || line.correlationId === correlationId)
    const apiJob = ofJob(apiLines)
    const workerJob = ofJob(workerLines)
    // No line about this job lacks its correlation id.
    for (const { raw, line } of [...apiJob, ...workerJob]) expect(line.correlationId, raw).toBe(correlationId)
    const messages = (lines: typeof apiJob) => lines.map(({ line }) => line.msg)
    expect(messages(apiJob)).toEqual(
      expect.arrayContaining([
        'incoming request',
        'job stored (queued)',
        'pdf.requested published; job accepted',
        'request completed',
        'job done',
      ]),
    )
    expect(messages(workerJob)).toEqual(
      expect.arrayContaining(['pdf.requested received', 'pdf generated and stored', 'pdf.generated published, request acked']),
    )
  })

  test('healthz, readyz and metrics answer', async () => {
    expect((await fetch(`${system.apiUrl}/healthz`)).status).toBe(200)
    const ready = await fetch(`${system.apiUrl}/readyz`)
    expect(ready.status).toBe(200)
    expect(await ready.json()).toEqual({ ready: true, checks: { nats: true, database: true } })
    const metrics = await (await fetch(`${system.apiUrl}/metrics`)).text()
    expect(metrics).toMatch(/^pdf_api_jobs_accepted_total \d+$/m)
    expect(metrics).toMatch(/pdf_api_events_total\{outcome="done"\} \d+/)
    expect(metrics).toContain('pdf_api_submit_seconds_bucket{le="+Inf"}')
  })
})
