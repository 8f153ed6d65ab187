/**
 * RabbitMQ adapter (AMQP 0-9-1, amqplib). The observer declares one server-named, exclusive, auto-delete,
 * non-durable queue and binds it to the exchange with each channel's routing-key pattern: the broker routes
 * a *copy* of every matching message to it, so no consumer loses a message; with no-ack consumption nothing
 * is acknowledged, and the queue vanishes with the connection. The exchange itself is only checked, never
 * declared. amqplib does not reconnect: this adapter does, re-declaring its queue and bindings.
 */
import amqp, { type Channel, type ChannelModel, type ConsumeMessage } from 'amqplib'
import { ObserveError, ObserveErrorCodes } from './errors.js'
import type { Subscription, Transport, TransportEvent, WireMessage } from './types.js'

export interface AmqpTransportOptions {
  /** `amqp://user:pass@127.0.0.1:5672/vhost` */
  url: string
  /** The (topic) exchange the channels are routed through. */
  exchange: string
  /** Time between reconnection attempts after the server went away (default 1 s). */
  reconnectMs?: number
}

const MAX_HEADERS = 100

export async function amqpTransport(options: AmqpTransportOptions): Promise<AmqpTransport> {
  const t = new AmqpTransport(options)
  await t.connect(true)
  return t
}

export class AmqpTransport implements Transport {
  readonly kind = 'amqp' as const
  readonly #listeners: ((e: TransportEvent) => void)[] = []
  readonly #bindings = new Map<string, (m: WireMessage) => void>()
  #connection: ChannelModel | undefined
  #channel: Channel | undefined
  #queue = ''
  #closed = false
  #reconnecting = false

  constructor(private readonly options: AmqpTransportOptions) {}

  /** Connects, checks the exchange, declares the observer's queue and re-binds every pattern. */
  async connect(first = false): Promise<void> {
    let connection: ChannelModel
    try {
      connection = await amqp.connect(this.options.url)
    } catch (cause) {
      throw new ObserveError(ObserveErrorCodes.TRANSPORT_UNREACHABLE, `cannot connect to RabbitMQ at ${redact(this.options.url)}`, {
        cause,
        hint: 'check --amqp (e.g. amqp://guest:guest@127.0.0.1:5672) and that the server runs',
      })
    }
    connection.on('error', () => {})
    connection.on('close', () => this.#lost())
    const channel = await connection.createChannel()
    channel.on('error', () => {})
    try {
      await channel.checkExchange(this.options.exchange)
    } catch (cause) {
      await connection.close().catch(() => {})
      throw new ObserveError(ObserveErrorCodes.OPTIONS_INVALID, `RabbitMQ has no exchange ${this.options.exchange}`, {
        cause,
        hint: 'pass the exchange the producers publish to with --exchange',
      })
    }
    const { queue } = await channel.assertQueue('', { exclusive: true, autoDelete: true, durable: false })
    await channel.consume(queue, (m) => this.#deliver(m), { noAck: true, exclusive: true })
    for (const pattern of this.#bindings.keys()) await channel.bindQueue(queue, this.options.exchange, pattern)
    this.#connection = connection
    this.#channel = channel
    this.#queue = queue
    if (!first) this.#emit({ kind: 'reconnected', detail: `RabbitMQ reconnected (${redact(this.options.url)})` })
  }

  #deliver(m: ConsumeMessage | null): void {
    if (!m) return
    // A message matching several bindings reaches the queue once; the pattern that got it here does not matter.
    const handler = this.#bindings.values().next().value
    if (!handler) return
    const headers: Record<string, string> = {}
    let n = 0
    for (const [k, v] of Object.entries((m.properties.headers ?? {}) as Record<string, unknown>)) {
      if (n++ >= MAX_HEADERS) break
      headers[k] = typeof v === 'string' ? v : Buffer.isBuffer(v) ? v.toString('utf8') : JSON.stringify(v)
    }
    const ts = m.properties.timestamp as number | undefined
    handler({
      subject: m.fields.routingKey,
      headers,
      payload: m.content,
      receivedAt: new Date(),
      ...(typeof ts === 'number' ? { publishedAt: new Date(ts * 1000) } : {}),
    })
  }

  #lost(): void {
    if (this.#closed || this.#reconnecting) return
    this.#reconnecting = true
    this.#channel = undefined
    this.#emit({ kind: 'disconnected', detail: `RabbitMQ ${redact(this.options.url)} went away` })
    const retry = () => {
      if (this.#closed) return
      this.connect().then(
        () => {
          this.#reconnecting = false
        },
        () => setTimeout(retry, this.options.reconnectMs ?? 1000),
      )
    }
    setTimeout(retry, this.options.reconnectMs ?? 1000)
  }

  #emit(e: TransportEvent): void {
    for (const l of this.#listeners) l(e)
  }

  onEvent(listener: (event: TransportEvent) => void): void {
    this.#listeners.push(listener)
  }

  async subscribe(pattern: string, onMessage: (message: WireMessage) => void): Promise<Subscription> {
    this.#bindings.set(pattern, onMessage)
    await this.#channel?.bindQueue(this.#queue, this.options.exchange, pattern)
    return {
      close: async () => {
        this.#bindings.delete(pattern)
        await this.#channel?.unbindQueue(this.#queue, this.options.exchange, pattern).catch(() => {})
      },
    }
  }

  async publish(subject: string, payload: Uint8Array, headers?: Record<string, string>): Promise<void> {
    if (!this.#channel) throw new ObserveError(ObserveErrorCodes.TRANSPORT_UNREACHABLE, 'RabbitMQ is not connected')
    this.#channel.publish(this.options.exchange, subject, Buffer.from(payload.buffer, payload.byteOffset, payload.byteLength), {
      contentType: 'application/json',
      timestamp: Math.floor(Date.now() / 1000),
      ...(headers ? { headers } : {}),
    })
  }

  async close(): Promise<void> {
    this.#closed = true
    await this.#connection?.close().catch(() => {})
  }
}

/** Credentials in an AMQP URL never reach a log line. */
function redact(url: string): string {
  return url.replace(/\/\/[^@/]*@/, '//***@')
}
