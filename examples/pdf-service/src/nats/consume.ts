/**
 * A bounded-concurrency loop over a durable pull consumer that survives leader elections and node
 * loss: when the iterator ends or fails, it gets the consumer again and carries on, until stopped.
 */
import { setTimeout as sleep } from 'node:timers/promises'
import type { JetStreamClient, JsMsg } from '@nats-io/jetstream'
import type { Logger } from 'pino'

export interface ConsumeLoopOptions {
  stream: string
  consumer: string
  concurrency: number
  log: Logger
  handle: (msg: JsMsg) => Promise<void>
}

export interface ConsumeLoop {
  /** Stops pulling, waits for messages in hand to finish. */
  stop(): Promise<void>
  readonly inFlight: number
}

export function startConsumeLoop(js: JetStreamClient, options: ConsumeLoopOptions): ConsumeLoop {
  const { log } = options
  let stopping = false
  let current: { stop(): void } | null = null
  const running = new Set<Promise<void>>()
  let slotFreed: (() => void) | null = null

  const run = async () => {
    while (!stopping) {
      try {
        const consumer = await js.consumers.get(options.stream, options.consumer)
        // Short expiry + heartbeats: after a consumer leader change a lost pull is noticed in seconds, not in 30 s.
        const messages = await consumer.consume({ max_messages: options.concurrency, expires: 2_000 })
        current = messages
        for await (const msg of messages) {
          while (running.size >= options.concurrency) {
            await new Promise<void>((resolve) => {
              slotFreed = resolve
            })
          }
          const task = options.handle(msg).catch((error: unknown) => {
            log.error({ err: error instanceof Error ? error.message : String(error) }, 'message handler failed')
          })
          running.add(task)
          void task.finally(() => {
            running.delete(task)
            slotFreed?.()
            slotFreed = null
          })
          if (stopping) break
        }
      } catch (error) {
        if (stopping) break
        log.warn(
          { err: error instanceof Error ? error.message : String(error), consumer: options.consumer },
          'consumer unavailable; retrying',
        )
        await sleep(500)
      }
    }
  }
  const loop = run()
  return {
    get inFlight() {
      return running.size
    },
    async stop() {
      stopping = true
      current?.stop()
      slotFreed?.()
      await loop
      await Promise.all(running)
    },
  }
}
