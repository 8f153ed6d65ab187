/** Public types of @treaty/observe: the transport boundary and what the observer reports. */
import type { Contract } from '@treaty/core'

/** One message as the wire delivered it; the observer decodes it, the transport never does. */
export interface WireMessage {
  /** NATS subject or AMQP routing key. */
  subject: string
  /** Header values as sent (NATS headers may repeat: the first value counts, as for consumers reading `get`). */
  headers: Record<string, string>
  payload: Uint8Array
  receivedAt: Date
  /** When the server stored it (JetStream) or the publisher stamped it (AMQP `timestamp`), when known: gives the lag. */
  publishedAt?: Date
}

/** What a transport tells the observer about its own health, so a run can say "NATS went away" and keep going. */
export type TransportEvent =
  | { kind: 'disconnected'; detail: string }
  | { kind: 'reconnected'; detail: string }
  | { kind: 'error'; detail: string }

export interface Subscription {
  /** Stops delivery; idempotent. */
  close(): Promise<void>
}

/**
 * The transport boundary: subscribe to channel patterns, publish. Adapters never ack, never create durable
 * state, never take a message from anyone: observing must not disturb the system observed.
 */
export interface Transport {
  /** `nats` or `amqp`: decides how channels become subscription patterns (channels.ts). */
  readonly kind: 'nats' | 'amqp'
  /** Delivers every message on `pattern` (a subject / routing-key pattern in the transport's own wildcard syntax). */
  subscribe(pattern: string, onMessage: (message: WireMessage) => void): Promise<Subscription>
  publish(subject: string, payload: Uint8Array, headers?: Record<string, string>): Promise<void>
  /** Health events (disconnects, reconnects); the observer counts and reports them. */
  onEvent(listener: (event: TransportEvent) => void): void
  close(): Promise<void>
}

/** A contract of one consumer version, as the observer checks traffic against it. */
export interface ObservedContract {
  consumer: string
  consumerVersion: string
  /** Where that consumer version runs (the environment observed), for reports. */
  environment?: string
  contentHash?: string
  contract: Contract
}

export type Verdict = 'accepted' | 'rejected' | 'not-json' | 'uncovered'

/** One consumer expectation that rejected messages, aggregated. */
export interface MismatchFinding {
  consumer: string
  consumerVersion: string
  environment?: string
  contentHash?: string
  provider: string
  channel: string
  expectation: string
  /** Messages on the channel this expectation was checked against (rejected or not). */
  checked: number
  rejected: number
  /** Distinct failing pointers (`payload/items/0/qty`) with counts; bounded. */
  pointers: { pointer: string; expected: string; count: number }[]
  /** At most `maxExamples` examples: subject, masked headers, truncated payload preview. */
  examples: { subject: string; headers: Record<string, string>; preview: string; at: string }[]
}

export interface ChannelCount {
  channel: string
  provider: string
  messages: number
  accepted: number
  rejected: number
  notJson: number
}

export interface ObservationReport {
  startedAt: string
  at: string
  messages: number
  /** Messages skipped by `sample`. */
  skipped: number
  channels: ChannelCount[]
  mismatches: MismatchFinding[]
  /** Subjects that no contract covers, with counts (bounded; the rest are summed in `uncoveredOther`). */
  uncovered: { subject: string; count: number }[]
  uncoveredOther: number
  /** Payloads that are not JSON (or not UTF-8), per subject, with one preview. */
  notJson: { subject: string; count: number; preview: string }[]
  /** Expectations whose channel saw no message in the window. */
  unseen: { consumer: string; consumerVersion: string; expectation: string; channel: string }[]
  /** Transport health events in the window (disconnects, reconnects, errors), newest last, bounded. */
  events: { at: string; kind: TransportEvent['kind']; detail: string }[]
}
