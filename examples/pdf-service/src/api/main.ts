/**
 * pdf-api: HTTP in, `pdf.requested` out; `pdf.generated` in, job done. A job is accepted (202)
 * only once its row is committed (synchronously replicated) and its message is stored in the
 * replicated stream, so an accepted job survives the loss of any one node.
 */
import { type JsMsg, jetstream, jetstreamManager } from '@nats-io/jetstream'
import { connections, intEnv } from '../config.js'
import { FailoverPool } from '../db/failover-pool.js'
import { migrate } from '../db/schema.js'
import { createLogger, jobLogger } from '../log.js'
import { correlationIdOf } from '../messages/headers.js'
import { buildPdfRequested, PDF_REQUESTED_SUBJECT, pdfRequestedMsgId } from '../messages/pdf-requested.js'
import { connectNats } from '../nats/connection.js'
import { startConsumeLoop } from '../nats/consume.js'
import { headersOf, publishDurably } from '../nats/publish.js'
import { API_CONSUMER, duringElection, EVENTS_STREAM, ensureApiConsumer } from '../nats/topology.js'
import { buildApi } from './app.js'
import { handlePdfGenerated } from './handle-pdf-generated.js'
import { pgJobStore } from './job-store.js'
import { Metrics } from './metrics.js'

const log = createLogger('pdf-api')
const { natsUrls, databaseUrl } = connections()
const port = intEnv(process.env, 'PORT', 3000)
const host = process.env.HOST ?? '127.0.0.1'

const db = new FailoverPool(databaseUrl, { log, retryForMs: intEnv(process.env, 'API_RETRY_MS', 30_000), maxConnections: 20 })
await migrate(db)
const jobs = pgJobStore(db)
const nc = await connectNats(natsUrls, `pdf-api-${process.pid}`)
const js = jetstream(nc, { timeout: 5_000 })
const apiAckWaitMs = intEnv(process.env, 'API_ACK_WAIT_MS', 10_000, 1_000)
await duringElection(
  async () => ensureApiConsumer(await jetstreamManager(nc), apiAckWaitMs),
  60_000,
  (error) => log.warn({ err: error.message }, 'JetStream not answering yet (leader election?); retrying'),
)

const metrics = new Metrics()
const eventsHandled = metrics.counter('pdf_api_events_total', 'pdf.generated events by outcome (done | duplicate | failed).')

const app = buildApi({
  jobs,
  log,
  metrics,
  async publishRequest(job, correlationId, jobLog) {
    const message = buildPdfRequested(job, correlationId)
    await publishDurably(
      js,
      { subject: PDF_REQUESTED_SUBJECT, msgId: pdfRequestedMsgId(job.id), ...message },
      jobLog,
      intEnv(process.env, 'API_RETRY_MS', 30_000),
    )
  },
  async isReady() {
    const checks = { nats: !nc.isClosed() && nc.info !== undefined, database: await db.ping() }
    return { ready: checks.nats && checks.database, checks }
  },
})

async function onGenerated(msg: JsMsg): Promise<void> {
  const headers = headersOf(msg.headers)
  let payload: unknown
  try {
    payload = msg.json()
  } catch {
    payload = undefined
  }
  try {
    const outcome = await handlePdfGenerated({ payload, headers }, { jobs, log })
    eventsHandled({ outcome: outcome.transitioned ? 'done' : 'duplicate' })
    try {
      await msg.ackAck({ timeout: 2_000 })
    } catch (error) {
      outcome.log.warn({ err: error instanceof Error ? error.message : String(error) }, 'ack not confirmed; a redelivery will be ignored')
    }
  } catch (error) {
    eventsHandled({ outcome: 'failed' })
    const jobId = (payload as { jobId?: unknown } | undefined)?.jobId
    jobLogger(log, { jobId: typeof jobId === 'string' ? jobId : null, correlationId: correlationIdOf(headers).correlationId }).warn(
      { err: error instanceof Error ? error.message : String(error), deliveries: msg.info.deliveryCount },
      'pdf.generated not handled; will be redelivered',
    )
    msg.nak(1_000)
  }
}

const events = startConsumeLoop(js, {
  stream: EVENTS_STREAM,
  consumer: API_CONSUMER,
  concurrency: intEnv(process.env, 'API_EVENT_CONCURRENCY', 16, 1),
  log,
  handle: onGenerated,
})
const address = await app.listen({ port, host })
log.info({ url: address }, 'pdf-api listening')

let stopping = false
async function shutdown(signal: string) {
  if (stopping) return
  stopping = true
  log.info({ signal }, 'pdf-api stopping')
  await app.close()
  await events.stop()
  await nc.drain().catch(() => undefined)
  await db.close()
  process.exit(0)
}
process.on('SIGTERM', () => void shutdown('SIGTERM'))
process.on('SIGINT', () => void shutdown('SIGINT'))
