/**
 * Delivers queued webhook deliveries: polls the outbox (and wakes at once when this broker queued some),
 * POSTs each body signed, records the outcome, and schedules retries with backoff. Every broker instance
 * runs one; they share the queue through the store's claim-with-lease.
 */
import type { FastifyBaseLogger } from 'fastify'
import type { Metrics } from '../metrics.js'
import type { DueDelivery } from '../store/webhooks.js'
import { DEFAULT_RETRY_POLICY, isDelivered, type RetryPolicy, retryDelay } from './retry-policy.js'
import { SIGNATURE_HEADER, signBody } from './signature.js'

export interface WebhookWorkerOptions {
  /** How often to look for due deliveries queued by other brokers or due for retry (default 1 s). */
  pollIntervalMs?: number
  /** Time allowed for the receiver to answer (default 10 s). */
  timeoutMs?: number
  /** Deliveries attempted concurrently per poll (default 10). */
  batchSize?: number
  retry?: Partial<RetryPolicy>
}

/** The slice of the store the worker uses (kept narrow so tests can see what it touches). */
export interface DeliveryQueue {
  claimDueDeliveries(leaseMs: number, limit: number): Promise<DueDelivery[]>
  recordAttempt(
    d: DueDelivery,
    outcome: { statusCode: number | null; error: string | null; durationMs: number; deliveredAt: Date | null; retryAt: Date | null },
  ): Promise<void>
  now(): Date
}

export class WebhookWorker {
  private readonly pollIntervalMs: number
  private readonly timeoutMs: number
  private readonly batchSize: number
  private readonly policy: RetryPolicy
  private timer: NodeJS.Timeout | undefined
  private running: Promise<void> | undefined
  private again = false
  private stopped = true

  constructor(
    private readonly queue: DeliveryQueue,
    private readonly log: FastifyBaseLogger,
    private readonly metrics: Metrics,
    options: WebhookWorkerOptions = {},
  ) {
    this.pollIntervalMs = options.pollIntervalMs ?? 1_000
    this.timeoutMs = options.timeoutMs ?? 10_000
    this.batchSize = options.batchSize ?? 10
    this.policy = { ...DEFAULT_RETRY_POLICY, ...options.retry }
  }

  start(): void {
    this.stopped = false
    this.schedule(0)
  }

  /** Look now rather than at the next poll: this broker just queued deliveries. */
  wake(): void {
    if (this.stopped) return
    if (this.running) this.again = true
    else this.schedule(0)
  }

  /** Stops polling and waits for the attempts in flight, so their outcomes are recorded before the store closes. */
  async stop(): Promise<void> {
    this.stopped = true
    clearTimeout(this.timer)
    await this.running
  }

  private schedule(delayMs: number): void {
    clearTimeout(this.timer)
    this.timer = setTimeout(() => {
      this.running = this.poll().finally(() => {
        this.running = undefined
        if (this.stopped) return
        const more = this.again
        this.again = false
        this.schedule(more ? 0 : this.pollIntervalMs)
      })
    }, delayMs)
    // Polling alone must not keep the process alive.
    this.timer.unref()
  }

  private async poll(): Promise<void> {
    try {
      // Keep going while batches come back full: a backlog drains without waiting a poll interval per batch.
      for (;;) {
        if (this.stopped) return
        const due = await this.queue.claimDueDeliveries(this.timeoutMs + 30_000, this.batchSize)
        await Promise.all(due.map((d) => this.deliver(d)))
        if (due.length < this.batchSize) return
      }
    } catch (err) {
      this.log.warn({ err }, 'webhook worker could not reach the store; will retry')
    }
  }

  private async deliver(d: DueDelivery): Promise<void> {
    const log = this.log.child({ correlationId: d.correlationId ?? undefined, webhookId: d.webhookId, deliveryId: d.id })
    const started = performance.now()
    let statusCode: number | null = null
    let error: string | null = null
    try {
      const response = await fetch(d.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'user-agent': 'treaty-broker',
          'x-treaty-event': d.event,
          'x-treaty-delivery': String(d.id),
          'x-treaty-attempt': String(d.attempt),
          [SIGNATURE_HEADER]: signBody(d.secret, d.body),
          ...(d.correlationId ? { 'x-correlation-id': d.correlationId } : {}),
        },
        body: d.body,
        redirect: 'manual',
        signal: AbortSignal.timeout(this.timeoutMs),
      })
      statusCode = response.status
      // Drain the body so the connection can be reused; its content is not ours to keep.
      await response.arrayBuffer().catch(() => {})
      if (!isDelivered(statusCode)) error = `receiver answered ${statusCode}`
    } catch (err) {
      error = describeFetchError(err)
    }
    const durationMs = performance.now() - started
    const now = this.queue.now()
    const delay = error === null ? null : retryDelay(d.attempt, this.policy)
    const outcome = {
      statusCode,
      error,
      durationMs,
      deliveredAt: error === null ? now : null,
      retryAt: delay === null ? null : new Date(now.getTime() + delay),
    }
    this.metrics.webhookAttempts.inc({ outcome: error === null ? 'delivered' : delay === null ? 'gave_up' : 'retrying' })
    if (error === null) log.info({ event: d.event, attempt: d.attempt, statusCode }, 'webhook delivered')
    else if (delay === null) log.error({ event: d.event, attempt: d.attempt, error }, 'webhook delivery failed for good')
    else log.warn({ event: d.event, attempt: d.attempt, error, retryInMs: delay }, 'webhook delivery failed; will retry')
    try {
      await this.queue.recordAttempt(d, outcome)
    } catch (err) {
      // The lease runs out and the delivery is attempted again: at-least-once, never lost.
      log.warn({ err }, 'could not record webhook attempt; it will be retried when its lease expires')
    }
  }
}

function describeFetchError(err: unknown): string {
  const e = err as { name?: string; message?: string; cause?: { code?: string; message?: string } }
  if (e.name === 'TimeoutError') return 'receiver did not answer in time'
  return e.cause?.code ?? e.cause?.message ?? e.message ?? 'request failed'
}
