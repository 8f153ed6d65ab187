/**
 * Streams and consumers of the PDF queue, declared once: infra creates the streams, services ensure
 * their own durable consumers with the same definitions.
 */
import { AckPolicy, DeliverPolicy, type JetStreamManager, RetentionPolicy, StorageType, type StreamConfig } from '@nats-io/jetstream'
import { nanos } from '@nats-io/transport-node'
import { PDF_DEADLETTER_SUBJECT } from '../messages/dead-letter.js'
import { PDF_GENERATED_SUBJECT } from '../messages/pdf-generated.js'
import { PDF_REQUESTED_SUBJECT } from '../messages/pdf-requested.js'

export const REQUESTS_STREAM = 'PDF_REQUESTS'
export const EVENTS_STREAM = 'PDF_EVENTS'
/** Durable pull consumer shared by every worker process (the work queue's only consumer). */
export const WORKER_CONSUMER = 'pdf-worker'
/** Durable pull consumer shared by every api process, for `pdf.generated`. */
export const API_CONSUMER = 'pdf-api'

const DUPLICATE_WINDOW_MS = 2 * 60_000

export function streamConfigs(replicas: number): (Partial<StreamConfig> & { name: string })[] {
  return [
    {
      name: REQUESTS_STREAM,
      subjects: [PDF_REQUESTED_SUBJECT],
      // Work queue: a message is deleted once acked, so "nothing left in the stream" means "nothing unprocessed".
      retention: RetentionPolicy.Workqueue,
      storage: StorageType.File,
      num_replicas: replicas,
      duplicate_window: nanos(DUPLICATE_WINDOW_MS),
    },
    {
      name: EVENTS_STREAM,
      subjects: [PDF_GENERATED_SUBJECT, PDF_DEADLETTER_SUBJECT],
      retention: RetentionPolicy.Limits,
      storage: StorageType.File,
      num_replicas: replicas,
      max_age: nanos(7 * 24 * 3600_000),
      duplicate_window: nanos(DUPLICATE_WINDOW_MS),
    },
  ]
}

export async function ensureStreams(jsm: JetStreamManager, replicas: number): Promise<void> {
  for (const config of streamConfigs(replicas)) {
    try {
      await jsm.streams.info(config.name)
      await jsm.streams.update(config.name, config)
    } catch (error) {
      if (!isNotFound(error)) throw error
      await jsm.streams.add(config)
    }
  }
}

export interface WorkerConsumerOptions {
  /** How long the server waits for an ack before redelivering (first delivery). */
  ackWaitMs: number
  /** Deliveries before a message is a poison message and goes to the dead-letter subject. */
  maxDeliver: number
  /** Redelivery delays after an ack timeout, one per attempt (the last repeats). */
  backoffMs: number[]
}

export async function ensureWorkerConsumer(jsm: JetStreamManager, options: WorkerConsumerOptions): Promise<void> {
  // The server uses backoff[0] as the ack wait; start the list with the configured ack wait.
  const backoff = [options.ackWaitMs, ...options.backoffMs].slice(0, Math.max(1, options.maxDeliver - 1))
  await ensureConsumer(jsm, REQUESTS_STREAM, {
    durable_name: WORKER_CONSUMER,
    ack_policy: AckPolicy.Explicit,
    deliver_policy: DeliverPolicy.All,
    filter_subject: PDF_REQUESTED_SUBJECT,
    ack_wait: nanos(options.ackWaitMs),
    max_deliver: options.maxDeliver,
    backoff: backoff.map((ms) => nanos(ms)),
    max_ack_pending: 1_000,
  })
}

export async function ensureApiConsumer(jsm: JetStreamManager, ackWaitMs: number): Promise<void> {
  await ensureConsumer(jsm, EVENTS_STREAM, {
    durable_name: API_CONSUMER,
    ack_policy: AckPolicy.Explicit,
    deliver_policy: DeliverPolicy.All,
    filter_subject: PDF_GENERATED_SUBJECT,
    ack_wait: nanos(ackWaitMs),
    max_deliver: -1,
    max_ack_pending: 1_000,
  })
}

type ConsumerDefinition = Parameters<JetStreamManager['consumers']['add']>[1] & { durable_name: string }

async function ensureConsumer(jsm: JetStreamManager, stream: string, config: ConsumerDefinition): Promise<void> {
  try {
    await jsm.consumers.info(stream, config.durable_name)
    const { durable_name: _name, deliver_policy: _policy, filter_subject: _filter, ...changeable } = config
    await jsm.consumers.update(stream, config.durable_name, changeable)
  } catch (error) {
    if (!isNotFound(error)) throw error
    await jsm.consumers.add(stream, config)
  }
}

/**
 * Runs a start-up JetStream step again while the cluster cannot answer it yet, for up to `forMs`. After a
 * node dies the JetStream meta and stream leaders are elected again (seconds); meanwhile the JetStream API
 * times out or has no responders. A service started in that window waits for the election instead of
 * exiting, as it must in production (a node restart must not crash-loop the services started beside it).
 */
export async function duringElection<T>(step: () => Promise<T>, forMs = 60_000, onWait?: (error: Error) => void): Promise<T> {
  const until = Date.now() + forMs
  for (;;) {
    try {
      return await step()
    } catch (error) {
      if (!isElection(error) || Date.now() >= until) throw error
      onWait?.(error as Error)
      await new Promise((resolve) => setTimeout(resolve, 500))
    }
  }
}

/** The JetStream API is not answering yet: a timeout, no responders, or "temporarily unavailable" (503). */
export function isElection(error: unknown): boolean {
  if (!(error instanceof Error)) return false
  if (['TimeoutError', 'NoRespondersError', 'JetStreamNotEnabled'].includes(error.name)) return true
  if (error.cause instanceof Error && isElection(error.cause)) return true
  return /no responders|temporarily unavailable|no suitable peers|timeout/i.test(error.message)
}

export function isNotFound(error: unknown): boolean {
  return error instanceof Error && /not found/i.test(error.message)
}
