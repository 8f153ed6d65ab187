/**
 * Webhooks and their delivery outbox. Deliveries are inserted in the transaction that records the event, so
 * an event is never recorded without its deliveries (nor the reverse). Workers claim due deliveries with
 * `FOR UPDATE SKIP LOCKED` and a lease: several brokers share the queue without delivering one attempt
 * twice, and a delivery whose broker died mid-attempt is retried once its lease runs out.
 */
import { BrokerError, BrokerErrorCodes } from '../errors.js'
import { type BrokerEvent, renderEventBody, type WebhookEvent } from '../webhooks/events.js'
import type { Queryable } from './database.js'

export interface Webhook {
  id: string
  url: string
  events: WebhookEvent[]
  description: string | null
  createdAt: Date
}

interface WebhookRow {
  id: string
  url: string
  events: WebhookEvent[]
  description: string | null
  created_at: Date
}

const toWebhook = (r: WebhookRow): Webhook => ({
  id: r.id,
  url: r.url,
  events: r.events,
  description: r.description,
  createdAt: r.created_at,
})

export async function createWebhook(
  db: Queryable,
  w: { id: string; url: string; events: readonly WebhookEvent[]; description?: string; secret: string },
  now: Date,
): Promise<Webhook> {
  const [row] = await db.query<WebhookRow>(
    `INSERT INTO webhooks (id, url, events, description, secret, created_at) VALUES ($1, $2, $3::text[], $4, $5, $6)
     RETURNING id, url, events, description, created_at`,
    [w.id, w.url, [...new Set(w.events)].sort(), w.description ?? null, w.secret, now],
  )
  return toWebhook(row!)
}

export async function listWebhooks(db: Queryable): Promise<Webhook[]> {
  const rows = await db.query<WebhookRow>('SELECT id, url, events, description, created_at FROM webhooks ORDER BY created_at, id')
  return rows.map(toWebhook)
}

export async function deleteWebhook(db: Queryable, id: string): Promise<void> {
  const rows = await db.query('DELETE FROM webhooks WHERE id = $1 RETURNING id', [id])
  if (rows.length === 0) throw webhookNotFound(id)
}

export function webhookNotFound(id: string): BrokerError {
  return new BrokerError(BrokerErrorCodes.WEBHOOK_NOT_FOUND, `no webhook with id ${JSON.stringify(id)}; GET /api/webhooks lists them`, {
    path: 'params.id',
  })
}

/** Queues one delivery per webhook subscribed to the event. Returns how many were queued. */
export async function enqueueDeliveries(
  tx: Queryable,
  e: BrokerEvent,
  eventId: string,
  correlationId: string | undefined,
  now: Date,
): Promise<number> {
  const rows = await tx.query(
    `INSERT INTO webhook_deliveries (webhook_id, event, body, correlation_id, status, attempts, next_attempt_at, created_at)
     SELECT id, $1, $2, $3, 'pending', 0, $4, $4 FROM webhooks WHERE $1 = ANY(events)
     RETURNING id`,
    [e.event, renderEventBody(e, eventId, now), correlationId ?? null, now],
  )
  return rows.length
}

export interface DueDelivery {
  id: number
  webhookId: string
  url: string
  secret: string
  event: WebhookEvent
  body: string
  /** This attempt's number, counting from 1. */
  attempt: number
  correlationId: string | null
}

/** Claims up to `limit` due deliveries for `leaseMs`; the attempt counter is taken at claim time so a crash still counts. */
export async function claimDueDeliveries(db: Queryable, now: Date, leaseMs: number, limit: number): Promise<DueDelivery[]> {
  const rows = await db.query<{
    id: number
    webhook_id: string
    url: string
    secret: string
    event: WebhookEvent
    body: string
    attempts: number
    correlation_id: string | null
  }>(
    `WITH due AS (
       SELECT id FROM webhook_deliveries
        WHERE status = 'pending' AND next_attempt_at <= $1 AND (lease_until IS NULL OR lease_until <= $1)
        ORDER BY next_attempt_at, id
        LIMIT $3
        FOR UPDATE SKIP LOCKED
     ), claimed AS (
       UPDATE webhook_deliveries d SET lease_until = $2, attempts = d.attempts + 1
         FROM due WHERE d.id = due.id
       RETURNING d.id, d.webhook_id, d.event, d.body, d.attempts, d.correlation_id
     )
     SELECT c.*, w.url, w.secret FROM claimed c JOIN webhooks w ON w.id = c.webhook_id ORDER BY c.id`,
    [now, new Date(now.getTime() + leaseMs), limit],
  )
  return rows.map((r) => ({
    id: r.id,
    webhookId: r.webhook_id,
    url: r.url,
    secret: r.secret,
    event: r.event,
    body: r.body,
    attempt: r.attempts,
    correlationId: r.correlation_id,
  }))
}

export interface AttemptOutcome {
  statusCode: number | null
  error: string | null
  durationMs: number
  /** When the delivery succeeded, or null. */
  deliveredAt: Date | null
  /** When to try again; null with `deliveredAt` null means: give up. */
  retryAt: Date | null
}

/** Records an attempt's outcome; run it in a transaction so the delivery and its log agree. */
export async function recordAttempt(db: Queryable, d: DueDelivery, outcome: AttemptOutcome, now: Date): Promise<void> {
  const status = outcome.deliveredAt ? 'succeeded' : outcome.retryAt ? 'pending' : 'failed'
  await db.query(
    `UPDATE webhook_deliveries
        SET status = $2, lease_until = NULL, last_status_code = $3, last_error = $4, delivered_at = $5,
            next_attempt_at = COALESCE($6, next_attempt_at)
      WHERE id = $1`,
    [d.id, status, outcome.statusCode, outcome.error, outcome.deliveredAt, outcome.retryAt],
  )
  await db.query(
    'INSERT INTO webhook_attempts (delivery_id, attempt, attempted_at, status_code, error, duration_ms) VALUES ($1, $2, $3, $4, $5, $6)',
    [d.id, d.attempt, now, outcome.statusCode, outcome.error, Math.round(outcome.durationMs)],
  )
}

export interface DeliveryLog {
  id: number
  event: WebhookEvent
  status: 'pending' | 'succeeded' | 'failed'
  attempts: number
  createdAt: Date
  deliveredAt: Date | null
  nextAttemptAt: Date | null
  lastStatusCode: number | null
  lastError: string | null
  correlationId: string | null
  history: { attempt: number; at: Date; statusCode: number | null; error: string | null; durationMs: number }[]
}

export async function listDeliveries(db: Queryable, webhookId: string, limit: number): Promise<DeliveryLog[]> {
  const exists = await db.query('SELECT 1 FROM webhooks WHERE id = $1', [webhookId])
  if (exists.length === 0) throw webhookNotFound(webhookId)
  const rows = await db.query<{
    id: number
    event: WebhookEvent
    status: DeliveryLog['status']
    attempts: number
    created_at: Date
    delivered_at: Date | null
    next_attempt_at: Date
    last_status_code: number | null
    last_error: string | null
    correlation_id: string | null
  }>(
    `SELECT id, event, status, attempts, created_at, delivered_at, next_attempt_at, last_status_code, last_error, correlation_id
       FROM webhook_deliveries WHERE webhook_id = $1 ORDER BY id DESC LIMIT $2`,
    [webhookId, limit],
  )
  const attempts = await db.query<{
    delivery_id: number
    attempt: number
    attempted_at: Date
    status_code: number | null
    error: string | null
    duration_ms: number
  }>(
    `SELECT delivery_id, attempt, attempted_at, status_code, error, duration_ms FROM webhook_attempts
      WHERE delivery_id = ANY($1::bigint[]) ORDER BY delivery_id, attempt, id`,
    [rows.map((r) => r.id)],
  )
  return rows.map((r) => ({
    id: r.id,
    event: r.event,
    status: r.status,
    attempts: r.attempts,
    createdAt: r.created_at,
    deliveredAt: r.delivered_at,
    nextAttemptAt: r.status === 'pending' ? r.next_attempt_at : null,
    lastStatusCode: r.last_status_code,
    lastError: r.last_error,
    correlationId: r.correlation_id,
    history: attempts
      .filter((a) => a.delivery_id === r.id)
      .map((a) => ({ attempt: a.attempt, at: a.attempted_at, statusCode: a.status_code, error: a.error, durationMs: a.duration_ms })),
  }))
}

/** Deliveries still to be made (pending, due or not): the queue depth metric. */
export async function queueDepth(db: Queryable): Promise<number> {
  const [row] = await db.query<{ n: number }>("SELECT count(*) AS n FROM webhook_deliveries WHERE status = 'pending'")
  return row?.n ?? 0
}
