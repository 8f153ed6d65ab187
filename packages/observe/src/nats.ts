/**
 * NATS adapter. Core subscriptions see every message published on a subject, including those JetStream
 * stores, without acking or creating anything on the server. `replay` reads a stream's stored history with an
 * *ordered* consumer (ephemeral, no acks, removed by the server when idle); it refuses work-queue streams,
 * where any consumer would compete for messages with the real ones.
 */
import { DeliverPolicy, jetstream, jetstreamManager, RetentionPolicy } from '@nats-io/jetstream'
import { connect, type Msg, type MsgHdrs, type NatsConnection, headers as natsHeaders } from '@nats-io/transport-node'
import { ObserveError, ObserveErrorCodes } from './errors.js'
import type { Subscription, Transport, TransportEvent, WireMessage } from './types.js'

export interface NatsTransportOptions {
  /** Server URLs (`nats://127.0.0.1:4222`); a cluster's nodes, any of which will do. */
  servers: string | string[]
  /** Keep trying when no server answers at start (default false: fail with TREATY_OBSERVE_TRANSPORT_UNREACHABLE). */
  waitOnFirstConnect?: boolean
  /** Connection name shown in the server's monitoring (default `treaty-observe`). */
  name?: string
  user?: string
  pass?: string
  token?: string
}

/** Headers per message kept by the adapter: a header flood costs at most this much per message. */
const MAX_HEADERS = 100

export async function natsTransport(options: NatsTransportOptions): Promise<NatsTransport> {
  let nc: NatsConnection
  try {
    nc = await connect({
      servers: options.servers,
      name: options.name ?? 'treaty-observe',
      maxReconnectAttempts: -1,
      reconnectTimeWait: 500,
      waitOnFirstConnect: options.waitOnFirstConnect ?? false,
      ...(options.user === undefined ? {} : { user: options.user, pass: options.pass ?? '' }),
      ...(options.token === undefined ? {} : { token: options.token }),
    })
  } catch (cause) {
    throw new ObserveError(ObserveErrorCodes.TRANSPORT_UNREACHABLE, `cannot connect to NATS at ${String(options.servers)}`, {
      cause,
      hint: 'check --nats (e.g. nats://127.0.0.1:4222) and that the server runs',
    })
  }
  return new NatsTransport(nc)
}

export class NatsTransport implements Transport {
  readonly kind = 'nats' as const
  readonly #listeners: ((e: TransportEvent) => void)[] = []

  constructor(readonly connection: NatsConnection) {
    void this.#watch()
  }

  async #watch(): Promise<void> {
    for await (const s of this.connection.status()) {
      if (s.type === 'disconnect') this.#emit({ kind: 'disconnected', detail: `NATS ${s.server} went away` })
      else if (s.type === 'reconnect') this.#emit({ kind: 'reconnected', detail: `NATS reconnected to ${s.server}` })
      else if (s.type === 'error') this.#emit({ kind: 'error', detail: `NATS: ${s.error.message}` })
      else if (s.type === 'slowConsumer') this.#emit({ kind: 'error', detail: `NATS: observer too slow, ${s.pending} messages pending` })
    }
  }

  #emit(e: TransportEvent): void {
    for (const l of this.#listeners) l(e)
  }

  onEvent(listener: (event: TransportEvent) => void): void {
    this.#listeners.push(listener)
  }

  async subscribe(pattern: string, onMessage: (message: WireMessage) => void): Promise<Subscription> {
    const sub = this.connection.subscribe(pattern, {
      callback: (err, msg) => {
        if (err) this.#emit({ kind: 'error', detail: `NATS subscription ${pattern}: ${err.message}` })
        else onMessage(toWire(msg))
      },
    })
    // The server must know the subscription before the caller publishes, or the first messages are missed.
    await this.connection.flush()
    return { close: async () => sub.unsubscribe() }
  }

  /**
   * Replays `stream` from `since` (then follows it) through an ordered consumer filtered on `patterns`.
   * Use instead of `subscribe` for the same subjects, or messages are seen twice.
   */
  async replay(stream: string, since: Date, patterns: string[], onMessage: (message: WireMessage) => void): Promise<Subscription> {
    const jsm = await jetstreamManager(this.connection)
    const info = await jsm.streams.info(stream).catch((cause: unknown) => {
      throw new ObserveError(ObserveErrorCodes.STREAM_NOT_FOUND, `stream ${stream} not found on the NATS server`, {
        cause,
        hint: 'list streams with `nats stream ls` and pass one to --from-stream',
      })
    })
    if (info.config.retention === RetentionPolicy.Workqueue) {
      throw new ObserveError(
        ObserveErrorCodes.OPTIONS_INVALID,
        `stream ${stream} is a work-queue stream: a consumer on it would take messages from the real ones`,
        { hint: 'observe it live (drop --from-stream): core subscriptions see every message it stores' },
      )
    }
    // One ordered consumer per pattern (they do not overlap): `filter_subjects` needs nats-server 2.10+.
    const running: { close(): Promise<unknown> }[] = []
    for (const pattern of patterns) {
      const consumer = await jetstream(this.connection).consumers.get(stream, {
        filter_subjects: pattern,
        deliver_policy: DeliverPolicy.StartTime,
        opt_start_time: since.toISOString(),
      })
      running.push(await consumer.consume({ callback: (m) => onMessage({ ...toWire(m), publishedAt: m.time }) }))
    }
    return {
      close: async () => {
        for (const r of running) await r.close()
      },
    }
  }

  async publish(subject: string, payload: Uint8Array, headers?: Record<string, string>): Promise<void> {
    this.connection.publish(subject, payload, headers ? { headers: toNatsHeaders(headers) } : undefined)
  }

  async close(): Promise<void> {
    if (!this.connection.isClosed()) await this.connection.drain().catch(() => this.connection.close())
  }
}

export function toNatsHeaders(headers: Record<string, string>): MsgHdrs {
  const h = natsHeaders()
  for (const [k, v] of Object.entries(headers)) h.set(k, v)
  return h
}

function toWire(msg: Pick<Msg, 'subject' | 'data' | 'headers'>): WireMessage {
  const headers: Record<string, string> = {}
  if (msg.headers) {
    let n = 0
    for (const [k, values] of msg.headers) {
      if (n++ >= MAX_HEADERS) break
      headers[k] = values[0] ?? ''
    }
  }
  return { subject: msg.subject, headers, payload: msg.data, receivedAt: new Date() }
}
