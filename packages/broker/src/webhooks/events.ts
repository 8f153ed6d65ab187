/** The events webhooks can subscribe to, and the body every delivery of one event carries. */

import type { WebhookEvent } from '@treaty/core/wire'

export { WEBHOOK_EVENTS, type WebhookEvent } from '@treaty/core/wire'

export interface BrokerEvent {
  event: WebhookEvent
  data: Record<string, unknown>
}

/**
 * The body is rendered once, when the event happens, and stored with each delivery: every retry sends the
 * same bytes (and so the same signature), and `id` lets a receiver drop the duplicates that at-least-once
 * delivery implies.
 */
export function renderEventBody(e: BrokerEvent, id: string, occurredAt: Date): string {
  return JSON.stringify({ id, event: e.event, occurredAt: occurredAt.toISOString(), data: e.data })
}
