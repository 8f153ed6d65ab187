/** The observer on a real RabbitMQ node: copies through an exclusive auto-delete queue, bad input, the server going away. */

import { bad, encode, good, observed, type RabbitServer, startRabbitServer } from '@treaty/test-support'
import amqp from 'amqplib'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { amqpTransport } from '../src/amqp.js'
import { ObserveErrorCodes } from '../src/errors.js'
import { observe } from '../src/run.js'

const EXCHANGE = 'events'
let rabbit: RabbitServer

beforeAll(async () => {
  rabbit = await startRabbitServer()
  const c = await amqp.connect(rabbit.url)
  const ch = await c.createChannel()
  await ch.assertExchange(EXCHANGE, 'topic', { durable: true })
  // The real consumer's own queue: the observer must not take anything from it.
  await ch.assertQueue('pdf-worker', { durable: true })
  await ch.bindQueue('pdf-worker', EXCHANGE, 'pdf.requested')
  await c.close()
}, 180_000)
afterAll(async () => {
  await rabbit?.stop()
})

async function publisher() {
  const c = await amqp.connect(rabbit.url)
  const ch = await c.createConfirmChannel()
  const send = async (key: string, payload: Uint8Array, headers: Record<string, string> = { 'Correlation-Id': 'c-1' }) => {
    ch.publish(EXCHANGE, key, Buffer.from(payload), { headers })
    await ch.waitForConfirms()
  }
  return { send, close: () => c.close(), channel: ch }
}

describe('observe on RabbitMQ', () => {
  it('checks copies of the traffic against every consumer without taking messages from their queues', async () => {
    const pub = await publisher()
    const before = (await pub.channel.checkQueue('pdf-worker')).messageCount
    const transport = await amqpTransport({ url: rabbit.url, exchange: EXCHANGE })
    let ready: () => void = () => {}
    const subscribed = new Promise<void>((r) => (ready = r))
    const run = observe({ transport, contracts: observed, maxMessages: 5, durationMs: 20_000, onSubscribed: () => ready() })
    await subscribed
    await pub.send('pdf.requested', encode(good))
    await pub.send('pdf.requested', encode(bad))
    await pub.send('tenant.7.events', encode({ kind: 'x' }))
    await pub.send('pdf.requested', new Uint8Array([0xff, 0xfe]))
    await pub.send('pdf.requested', encode(good), Object.fromEntries(Array.from({ length: 300 }, (_, i) => [`x-${i}`, 'v'])))
    const report = await run
    await transport.close()
    expect(report.messages).toBe(5)
    expect(report.mismatches.map((m) => [m.consumer, m.channel, m.rejected, m.pointers.map((p) => p.pointer)])).toEqual([
      ['pdf-worker', 'pdf.requested', 2, ['payload/items/0/qty', 'headers/Correlation-Id']],
    ])
    expect(report.notJson).toMatchObject([{ subject: 'pdf.requested', count: 1 }])
    const after = (await pub.channel.checkQueue('pdf-worker')).messageCount
    expect(after - before).toBe(4)
    await pub.close()
  })

  it('refuses an exchange that does not exist, and an unreachable server, with codes', async () => {
    await expect(amqpTransport({ url: rabbit.url, exchange: 'nope' })).rejects.toMatchObject({ code: ObserveErrorCodes.OPTIONS_INVALID })
    await expect(amqpTransport({ url: 'amqp://guest:guest@127.0.0.1:1', exchange: EXCHANGE })).rejects.toMatchObject({
      code: ObserveErrorCodes.TRANSPORT_UNREACHABLE,
    })
  })

  it('keeps its counts and says so when RabbitMQ goes away mid-run, and observes again once it is back', async () => {
    const transport = await amqpTransport({ url: rabbit.url, exchange: EXCHANGE, reconnectMs: 300 })
    const ac = new AbortController()
    const notices: string[] = []
    let ready: () => void = () => {}
    let subscribed = new Promise<void>((r) => (ready = r))
    const run = observe({
      transport,
      contracts: observed,
      signal: ac.signal,
      onNotice: (n) => notices.push(n),
      onSubscribed: () => ready(),
    })
    await subscribed
    let pub = await publisher()
    await pub.send('pdf.requested', encode(bad))
    await pub.close().catch(() => {})
    await new Promise((r) => setTimeout(r, 300))
    await rabbit.stop({ keepData: true })
    await rabbit.start()
    const until = Date.now() + 60_000
    while (!notices.some((n) => /reconnected/.test(n)) && Date.now() < until) await new Promise((r) => setTimeout(r, 200))
    subscribed = Promise.resolve()
    pub = await publisher()
    await pub.send('pdf.requested', encode(bad))
    await new Promise((r) => setTimeout(r, 500))
    ac.abort()
    const report = await run
    await pub.close()
    await transport.close()
    expect(notices.some((n) => /went away/.test(n))).toBe(true)
    expect(report.mismatches.find((m) => m.consumer === 'pdf-worker')).toMatchObject({ rejected: 2 })
  }, 180_000)
})
