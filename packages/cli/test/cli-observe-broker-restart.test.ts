/**
 * `treaty observe` when the Treaty broker goes away mid-run: a real broker process (PGlite in a data dir),
 * killed with SIGKILL by PID while the observer runs, then started again on the same port and data dir.
 * The observer keeps checking traffic, says the broker is gone, keeps its counts, and publishes the run's
 * cumulative totals once the broker is back.
 */
import { BrokerClient } from '@treaty/core'
import { type NatsTransport, natsTransport } from '@treaty/observe'
import {
  type Broker,
  deployWorkerAndApi,
  encode,
  ensureBrokerBuilt,
  type NatsServer,
  startBroker,
  startNatsServer,
  startProcess,
  type TestProcess,
  TREATY_BIN,
} from '@treaty/test-support'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

let broker: Broker
let nats: NatsServer
let pub: NatsTransport
let observer: TestProcess | undefined

beforeAll(async () => {
  ensureBrokerBuilt()
  ;[broker, nats] = await Promise.all([startBroker(), startNatsServer()])
  pub = await natsTransport({ servers: nats.url })
  const client = new BrokerClient({ url: broker.url })
  await deployWorkerAndApi(client)
}, 400_000)

afterAll(async () => {
  await observer?.kill('SIGKILL')
  await pub?.close()
  await Promise.all([broker?.stop(), nats?.stop()])
})

/** What the broker holds as observed for pdf-api 2.0.0 against pdf-worker's contract (undefined: nothing yet, or unreachable). */
async function observedInBroker(): Promise<{ messages: number; mismatches: number } | undefined> {
  const answer = await new BrokerClient({ url: broker.url })
    .canIDeploy({ service: 'pdf-api', version: '2.0.0', environment: 'production' })
    .catch(() => undefined)
  const found: { messages: number; mismatches: number }[] = []
  const walk = (v: unknown): void => {
    if (Array.isArray(v)) v.forEach(walk)
    else if (v && typeof v === 'object')
      for (const [k, x] of Object.entries(v)) {
        if (k === 'observed' && x && typeof x === 'object') found.push(x as { messages: number; mismatches: number })
        else walk(x)
      }
  }
  walk(answer)
  return found[0] && { messages: found[0].messages, mismatches: found[0].mismatches }
}

async function until<T>(what: string, probe: () => Promise<T | undefined> | T | undefined, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const value = await probe()
    if (value !== undefined) return value
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}\n--- treaty observe ---\n${observer?.output()}`)
    await new Promise((r) => setTimeout(r, 250))
  }
}

describe('treaty observe, when the broker goes away mid-run', () => {
  it('keeps observing, says so, keeps its counts and publishes the cumulative totals once the broker is back', async () => {
    const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1' }
    for (const key of Object.keys(env)) if (key.startsWith('TREATY_')) delete env[key]
    observer = await startProcess({
      name: 'treaty observe',
      command: process.execPath,
      args: [TREATY_BIN, 'observe', '--broker-url', broker.url, '--nats', nats.url, '--service', 'pdf-api', '--environment', 'production'],
      env,
      ready: /observing (\S+)/,
      timeoutMs: 60_000,
    })
    const h = { 'Correlation-Id': 'c-1' }
    const good = encode({ jobId: 'j-1', items: [{ qty: 1 }] })
    const bad = encode({ jobId: 'j-2', items: [{}] })

    for (const payload of [good, bad, good]) await pub.publish('pdf.requested', payload, h)
    await pub.connection.flush()
    // Published within one interval (10 s) of the observer's tick.
    expect(await until('the first observations in the broker', observedInBroker, 60_000)).toEqual({ messages: 3, mismatches: 1 })

    await broker.kill('SIGKILL')
    for (const payload of [good, bad]) await pub.publish('pdf.requested', payload, h)
    await pub.connection.flush()
    // The next tick finds the broker gone: the observer says so and runs on.
    await until('the observer to say the broker is gone', () => /broker: .*observing on/.test(observer!.output()) || undefined, 60_000)
    await until('the observer to say it cannot publish', () => /cannot publish observations/.test(observer!.output()) || undefined, 60_000)
    expect(observer.child.exitCode).toBeNull()

    await broker.start()
    // Back on the same port and data dir: the run's totals (not only what came since) arrive.
    expect(
      await until(
        'the cumulative observations in the broker',
        async () => {
          const o = await observedInBroker()
          return o?.messages === 5 ? o : undefined
        },
        120_000,
      ),
    ).toEqual({ messages: 5, mismatches: 2 })
    await until('the observer to say the broker is back', () => /broker reachable again/.test(observer!.output()) || undefined, 60_000)
    await until(
      'the observer to say it published again',
      () => /observations published again/.test(observer!.output()) || undefined,
      60_000,
    )

    // Ctrl-C: the report covers the whole run, with the outage among its events.
    expect(await observer.kill('SIGTERM')).toBe(0)
    const out = observer.output()
    expect(out).toContain('observed 5 messages on 1 channels')
    expect(out).toContain('✗ pdf-worker 1.4.0 (production) would reject pdf.requested: payload/items/0/qty missing (2 of 5 messages')
    expect(out).toMatch(/! \S+ broker: /)
  }, 600_000)
})
