/** The observer on a real nats-server: live subscriptions, stream replay, bad input, the server going away. */
import { jetstreamManager, RetentionPolicy } from '@nats-io/jetstream'
import { connect, headers, type NatsConnection } from '@nats-io/transport-node'
import { BrokerClient } from '@treaty/core/client'
import { bad, encode, good, type NatsServer, observed, startNatsServer } from '@treaty/test-support'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ObserveErrorCodes } from '../src/errors.js'
import { Guard, guardNats } from '../src/guard.js'
import { natsTransport } from '../src/nats.js'
import { observe } from '../src/run.js'

let server: NatsServer
let pub: NatsConnection

beforeAll(async () => {
  server = await startNatsServer()
  pub = await connect({ servers: server.url, maxReconnectAttempts: -1, reconnectTimeWait: 100 })
})
afterAll(async () => {
  await pub?.close()
  await server?.stop()
})

const h = (id = 'c-1') => {
  const hs = headers()
  hs.set('Correlation-Id', id)
  return hs
}

/** Runs an observer until `messages` were counted, publishing with `send` once it is subscribed. */
async function observeWhile(send: () => Promise<void>, messages: number, extra: Partial<Parameters<typeof observe>[0]> = {}) {
  const transport = await natsTransport({ servers: server.url })
  const ac = new AbortController()
  const run = observe({ transport, contracts: observed, maxMessages: messages, durationMs: 15_000, signal: ac.signal, ...extra })
  // The run subscribes before its first await on the transport returns; a flush on the publisher orders the rest.
  await new Promise((r) => setTimeout(r, 200))
  await send()
  await pub.flush()
  const report = await run
  await transport.close()
  return report
}

describe('observe on NATS', () => {
  it('checks live traffic against every deployed consumer and reports who would reject what', async () => {
    const report = await observeWhile(async () => {
      pub.publish('pdf.requested', encode(good), { headers: h() })
      pub.publish('pdf.requested', encode(bad), { headers: h() })
      pub.publish('tenant.9.events', encode({ kind: 'created' }))
      pub.publish('pdf.cancelled', encode({ nope: 1 }))
    }, 4)
    expect(report.messages).toBe(4)
    expect(report.mismatches.map((m) => [m.consumer, m.consumerVersion, m.channel, m.rejected, m.pointers.map((p) => p.pointer)])).toEqual([
      ['pdf-worker', '1.4.0', 'pdf.requested', 1, ['payload/items/0/qty']],
      ['pdf-audit', '2.0.0', 'pdf.cancelled', 1, ['payload/jobId']],
    ])
    expect(report.unseen.map((u) => u.expectation)).toEqual(['a cancellation'])
  })

  it('sees uncovered subjects when told to tap wider than the contracts, and survives bad input', async () => {
    const huge = new Uint8Array(4 * 1024 * 1024).fill(0x7b)
    const flood = headers()
    for (let i = 0; i < 500; i++) flood.set(`x-h-${i}`, 'v'.repeat(50))
    const report = await observeWhile(
      async () => {
        pub.publish('pdf.unknown', encode(good))
        pub.publish('pdf.requested', new Uint8Array([0xc3, 0x28, 0x00, 0xff]), { headers: h() })
        pub.publish('pdf.requested', huge, { headers: h() })
        pub.publish('pdf.requested', encode(good), { headers: flood })
        pub.publish('pdf.requested', encode(good), { headers: h() })
      },
      5,
      { subjects: ['pdf.>', 'tenant.>'] },
    )
    expect(report.messages).toBe(5)
    expect(report.uncovered).toEqual([{ subject: 'pdf.unknown', count: 1 }])
    expect(report.notJson).toMatchObject([{ subject: 'pdf.requested', count: 2 }])
    const worker = report.mismatches.find((m) => m.consumer === 'pdf-worker')!
    expect(worker).toMatchObject({ rejected: 1, pointers: [{ pointer: 'headers/Correlation-Id' }] })
    expect(Object.keys(worker.examples[0]!.headers).length).toBeLessThanOrEqual(51)
  })

  it('replays a stream from a point in time with an ordered consumer, and refuses a work-queue stream', async () => {
    const jsm = await jetstreamManager(pub)
    await jsm.streams.add({ name: 'PDF', subjects: ['pdf.requested'] })
    await jsm.streams.add({ name: 'WORK', subjects: ['pdf.cancelled'], retention: RetentionPolicy.Workqueue })
    const js = jsm.jetstream()
    await js.publish('pdf.requested', encode(bad), { headers: h() })
    // Server timestamps are in nanoseconds, `since` in milliseconds: keep the first message clear of it.
    await new Promise((r) => setTimeout(r, 20))
    const since = new Date()
    await new Promise((r) => setTimeout(r, 20))
    await js.publish('pdf.requested', encode(good), { headers: h() })
    await js.publish('pdf.requested', encode(bad), { headers: h() })
    const transport = await natsTransport({ servers: server.url })
    const report = await observe({
      transport,
      contracts: [observed[0]!],
      channels: ['pdf.requested'],
      fromStream: { stream: 'PDF', since },
      maxMessages: 2,
      durationMs: 10_000,
    })
    expect(report.messages).toBe(2)
    expect(report.mismatches).toMatchObject([{ consumer: 'pdf-worker', rejected: 1, checked: 2 }])
    const consumers = await jsm.consumers.list('PDF').next()
    expect(consumers.filter((c) => c.config.durable_name)).toEqual([])
    await expect(
      observe({
        transport,
        contracts: [observed[1]!],
        channels: ['pdf.cancelled'],
        fromStream: { stream: 'WORK', since },
        durationMs: 100,
      }),
    ).rejects.toMatchObject({ code: ObserveErrorCodes.OPTIONS_INVALID })
    await expect(observe({ transport, contracts: observed, fromStream: { stream: 'NOPE', since }, durationMs: 100 })).rejects.toMatchObject(
      { code: ObserveErrorCodes.STREAM_NOT_FOUND },
    )
    await transport.close()
    const wq = await jsm.streams.info('WORK')
    expect(wq.state.consumer_count).toBe(0)
  })

  it('keeps running and counting when the server goes away mid-run, and says so', async () => {
    const transport = await natsTransport({ servers: server.url })
    const notices: string[] = []
    const ac = new AbortController()
    const run = observe({ transport, contracts: observed, signal: ac.signal, onNotice: (n) => notices.push(n) })
    await new Promise((r) => setTimeout(r, 200))
    pub.publish('pdf.requested', encode(bad), { headers: h() })
    await pub.flush()
    await new Promise((r) => setTimeout(r, 100))
    await server.kill()
    await new Promise((r) => setTimeout(r, 300))
    await server.start()
    const until = Date.now() + 10_000
    while (!notices.some((n) => /reconnected/.test(n)) && Date.now() < until) await new Promise((r) => setTimeout(r, 100))
    // The publisher reconnects on its own schedule: wait until it is back too.
    while (pub.isClosed() === false && Date.now() < until) {
      try {
        await pub.flush()
        break
      } catch {
        await new Promise((r) => setTimeout(r, 100))
      }
    }
    pub.publish('pdf.requested', encode(bad), { headers: h() })
    await pub.flush()
    await new Promise((r) => setTimeout(r, 300))
    ac.abort()
    const report = await run
    await transport.close()
    expect(notices.some((n) => /went away/.test(n))).toBe(true)
    expect(report.events.map((e) => e.kind)).toEqual(expect.arrayContaining(['disconnected', 'reconnected']))
    expect(report.mismatches.find((m) => m.consumer === 'pdf-worker')).toMatchObject({ rejected: 2 })
  })

  it('keeps running and says so when the broker is down at start', async () => {
    const transport = await natsTransport({ servers: server.url })
    const notices: string[] = []
    let ready: () => void = () => {}
    const subscribed = new Promise<void>((r) => (ready = r))
    const run = observe({
      transport,
      broker: { client: new BrokerClient({ url: 'http://127.0.0.1:1', timeoutMs: 500 }), environment: 'production', refreshMs: 200 },
      subjects: ['pdf.>'],
      maxMessages: 1,
      durationMs: 10_000,
      onNotice: (n) => notices.push(n),
      onSubscribed: () => ready(),
    })
    await subscribed
    pub.publish('pdf.requested', encode(good), { headers: h() })
    await pub.flush()
    const report = await run
    await transport.close()
    expect(notices.some((n) => /cannot reach the broker/.test(n))).toBe(true)
    expect(report).toMatchObject({ messages: 1, uncovered: [{ subject: 'pdf.requested', count: 1 }] })
    expect(report.events.some((e) => e.kind === 'error' && /broker/.test(e.detail))).toBe(true)
  })

  it('the guard in reject mode keeps a defective message off the wire; the observer sees only the good one', async () => {
    const transport = await natsTransport({ servers: server.url })
    const guarded = guardNats(pub, new Guard({ contracts: observed, mode: 'reject', onViolation: () => {} }))
    const report = await observeWhile(async () => {
      expect(() => guarded.publish('pdf.requested', bad, { 'Correlation-Id': 'c-1' })).toThrow(
        expect.objectContaining({ code: ObserveErrorCodes.GUARD_REJECTED }),
      )
      guarded.publish('pdf.requested', good, { 'Correlation-Id': 'c-1' })
    }, 1)
    await transport.close()
    expect(report).toMatchObject({ messages: 1, mismatches: [] })
  })

  it('fails with a code when no NATS server answers at start', async () => {
    await expect(natsTransport({ servers: 'nats://127.0.0.1:1' })).rejects.toMatchObject({ code: ObserveErrorCodes.TRANSPORT_UNREACHABLE })
  })
})
