/** Publishing to JetStream across leader elections: retried until a deadline, deduplicated by msgID. */
import { setTimeout as sleep } from 'node:timers/promises'
import type { JetStreamClient, PubAck } from '@nats-io/jetstream'
import { headers as natsHeaders } from '@nats-io/transport-node'
import type { Logger } from 'pino'

export interface OutgoingMessage {
  subject: string
  payload: unknown
  headers: Readonly<Record<string, string>>
  msgId: string
}

export async function publishDurably(
  js: JetStreamClient,
  message: OutgoingMessage,
  log: Pick<Logger, 'warn'>,
  retryForMs = 30_000,
): Promise<PubAck> {
  const deadline = Date.now() + retryForMs
  const hdrs = natsHeaders()
  for (const [key, value] of Object.entries(message.headers)) hdrs.set(key, value)
  const data = new TextEncoder().encode(JSON.stringify(message.payload))
  for (let attempt = 1; ; attempt++) {
    try {
      // Same msgID on every attempt: if an earlier attempt was stored and only its ack was lost, the stream drops this copy.
      return await js.publish(message.subject, data, { msgID: message.msgId, headers: hdrs, timeout: 2_000 })
    } catch (error) {
      if (Date.now() > deadline) throw error
      log.warn(
        { err: error instanceof Error ? error.message : String(error), subject: message.subject, attempt },
        'publish failed; retrying',
      )
      await sleep(Math.min(100 * attempt, 1_000))
    }
  }
}

export function headersOf(msgHeaders: { keys(): string[]; get(key: string): string } | undefined): Record<string, string> {
  const result: Record<string, string> = {}
  if (!msgHeaders) return result
  for (const key of msgHeaders.keys()) result[key] = msgHeaders.get(key)
  return result
}
