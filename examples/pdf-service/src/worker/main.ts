/**
 * pdf-worker: pulls `pdf.requested` from the work queue with bounded concurrency, renders and
 * stores the PDF, publishes `pdf.generated`, and only then acks. Order matters: an ack before the
 * publish would lose the event if the process died in between; this way a crash means a
 * redelivery, which finds the stored PDF and republishes the same event (deduplicated by msgID).
 * After WORKER_MAX_DELIVER failed deliveries the message goes to `pdf.deadletter` and the job is
 * marked failed with the reason.
 */
import { type JsMsg, jetstream, jetstreamManager } from '@nats-io/jetstream'
import { connections } from '../config.js'
import { FailoverPool } from '../db/failover-pool.js'
import { migrate } from '../db/schema.js'
import { createLogger, jobLogger } from '../log.js'
import { buildPdfDeadLetter, PDF_DEADLETTER_SUBJECT } from '../messages/dead-letter.js'
import { correlationIdOf } from '../messages/headers.js'
import { PDF_GENERATED_SUBJECT, pdfGeneratedMsgId } from '../messages/pdf-generated.js'
import { connectNats } from '../nats/connection.js'
import { startConsumeLoop } from '../nats/consume.js'
import { headersOf, publishDurably } from '../nats/publish.js'
import { duringElection, ensureWorkerConsumer, REQUESTS_STREAM, WORKER_CONSUMER } from '../nats/topology.js'
import { handlePdfRequested } from './handle-pdf-requested.js'
import { pgPdfStore } from './pdf-store.js'
import { retryDelayMs, workerConfig } from './worker-config.js'

/**
 * `PDF_DEFECT=pdf.generated` publishes pdf.generated without its sha256: a deliberate defect, so the
 * live-conformance test can show `treaty observe` naming the consumer it breaks. Never set in production.
 */
const DEFECT = process.env.PDF_DEFECT

const log = createLogger('pdf-worker')
const config = workerConfig()
const { natsUrls, databaseUrl } = connections()

const db = new FailoverPool(databaseUrl, { log, retryForMs: 20_000 })
await migrate(db)
const store = pgPdfStore(db)
const nc = await connectNats(natsUrls, `pdf-worker-${process.pid}`)
const js = jetstream(nc, { timeout: 5_000 })
await duringElection(
  async () => ensureWorkerConsumer(await jetstreamManager(nc), config),
  60_000,
  (error) => log.warn({ err: error.message }, 'JetStream not answering yet (leader election?); retrying'),
)

function jobIdOf(payload: unknown): string | null {
  const jobId = (payload as { jobId?: unknown } | null)?.jobId
  return typeof jobId === 'string' ? jobId : null
}

async function handle(msg: JsMsg): Promise<void> {
  const headers = headersOf(msg.headers)
  const deliveries = msg.info.deliveryCount
  let payload: unknown
  try {
    payload = msg.json()
  } catch {
    payload = undefined
  }
  const { correlationId } = correlationIdOf(headers)
  const msgLog = jobLogger(log, { jobId: jobIdOf(payload), correlationId })
  msgLog.info({ deliveries, seq: msg.seq }, 'pdf.requested received')
  try {
    const outcome = await handlePdfRequested({ payload, headers }, { store, log })
    const { sha256: _dropped, ...withoutSha } = outcome.event.payload
    const event = DEFECT === 'pdf.generated' ? { ...outcome.event, payload: withoutSha as typeof outcome.event.payload } : outcome.event
    await publishDurably(js, { subject: PDF_GENERATED_SUBJECT, msgId: pdfGeneratedMsgId(event.payload.jobId), ...event }, outcome.log)
    await ackSurely(msg, outcome.log)
    outcome.log.info({ sha256: event.payload.sha256 }, 'pdf.generated published, request acked')
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error)
    if (deliveries >= config.maxDeliver) {
      await deadLetter(msg, payload, reason, deliveries, correlationId, msgLog)
      return
    }
    const delay = retryDelayMs(config, deliveries)
    msgLog.warn({ err: reason, deliveries, retryInMs: delay }, 'pdf.requested failed; will be redelivered')
    msg.nak(delay)
  }
}

async function deadLetter(msg: JsMsg, payload: unknown, reason: string, deliveries: number, correlationId: string, msgLog: typeof log) {
  const jobId = jobIdOf(payload)
  const letter = buildPdfDeadLetter({ jobId, reason, deliveries, subject: msg.subject, payload: msg.string() }, correlationId)
  try {
    await publishDurably(js, { subject: PDF_DEADLETTER_SUBJECT, msgId: `${jobId ?? msg.seq}:deadletter`, ...letter }, msgLog)
    if (jobId) await store.markFailed(jobId, reason)
    await ackSurely(msg, msgLog)
    msgLog.error({ reason, deliveries }, 'poison message moved to pdf.deadletter; job marked failed')
  } catch (error) {
    // Could not park it: leave it unacked so it comes back (it is still the last delivery's job to decide).
    msgLog.error({ err: error instanceof Error ? error.message : String(error) }, 'could not dead-letter the message')
    msg.nak(retryDelayMs(config, deliveries))
  }
}

/** Double ack: we learn whether the server got it. If not, the message comes back and is handled idempotently. */
async function ackSurely(msg: JsMsg, msgLog: typeof log): Promise<void> {
  try {
    await msg.ackAck({ timeout: 2_000 })
  } catch (error) {
    msgLog.warn({ err: error instanceof Error ? error.message : String(error) }, 'ack not confirmed; a redelivery will be deduplicated')
  }
}

const loop = startConsumeLoop(js, { stream: REQUESTS_STREAM, consumer: WORKER_CONSUMER, concurrency: config.concurrency, log, handle })
log.info({ concurrency: config.concurrency, ackWaitMs: config.ackWaitMs, maxDeliver: config.maxDeliver }, 'pdf-worker ready')

let stopping = false
async function shutdown(signal: string) {
  if (stopping) return
  stopping = true
  log.info({ signal, inFlight: loop.inFlight }, 'pdf-worker draining')
  await loop.stop()
  await nc.drain().catch(() => undefined)
  await db.close()
  log.info('pdf-worker stopped')
  process.exit(0)
}
process.on('SIGTERM', () => void shutdown('SIGTERM'))
process.on('SIGINT', () => void shutdown('SIGINT'))
