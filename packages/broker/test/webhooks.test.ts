// Webhooks end to end: a real receiver on loopback, failures and retries, HMAC signatures, and deliveries
// that outlive the broker that queued them (the outbox is in the store, on a real PGlite data directory).
import { createHmac } from 'node:crypto'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { FastifyInstance } from 'fastify'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type BrokerOptions, buildBroker } from '../src/app.js'
import { type Client, client, contractDoc, json, published, unique } from './support/fixtures.js'
import { type Receiver, startReceiver } from './support/receiver.js'

const SECRET = 'test-webhook-secret-0123456789'
const fast: BrokerOptions['webhooks'] = {
  pollIntervalMs: 50,
  timeoutMs: 2_000,
  retry: { baseDelayMs: 50, maxDelayMs: 200, maxAttempts: 4 },
}

let dir: string
let receiver: Receiver
let app: FastifyInstance | undefined
let c: Client

const open = async (webhooks: BrokerOptions['webhooks'] = fast) => {
  app = await buildBroker({ dataDir: join(dir, 'data'), logLevel: 'silent', webhooks })
  await app.ready()
  c = client(app)
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'treaty-webhooks-'))
  receiver = await startReceiver()
  await open()
})

afterAll(async () => {
  await app?.close()
  await receiver?.close()
  await rm(dir, { recursive: true, force: true })
})

const bodiesOf = (event: string) => receiver.received.filter((r) => r.headers['x-treaty-event'] === event).map((r) => JSON.parse(r.body))
interface Delivery {
  event: string
  status: 'pending' | 'succeeded' | 'failed'
  attempts: number
  lastStatusCode: number | null
  lastError: string | null
  correlationId: string | null
  history: { statusCode: number | null; error: string | null }[]
}

const deliveriesOf = async (hookId: string): Promise<Delivery[]> => json(await c.get(`/api/webhooks/${hookId}/deliveries`)).deliveries

/** Polls `read` until `done` holds for its result (or 10 s pass), and returns that result. */
async function until<T>(read: () => Promise<T>, done: (value: T) => boolean): Promise<T> {
  const deadline = Date.now() + 10_000
  for (;;) {
    const value = await read()
    if (done(value) || Date.now() > deadline) return value
    await new Promise((r) => setTimeout(r, 25))
  }
}

describe('webhooks', () => {
  let hookId: string

  it('delivers a publish, retrying after receiver failures, signed with HMAC-SHA256 of the exact body', async () => {
    const created = await c.post('/api/webhooks', {
      url: receiver.url,
      events: ['contract_published', 'contract_content_changed', 'verification_published', 'deployment_recorded'],
      secret: SECRET,
    })
    hookId = json(created).id
    receiver.failNext(2)
    const [worker, api] = [unique('worker'), unique('api')]
    const res = await app!.inject({
      method: 'POST',
      url: '/api/contracts',
      headers: { 'x-correlation-id': 'pipeline-7' },
      payload: { consumer: worker, version: '1.0.0', branch: 'main', contracts: [contractDoc(worker, api)] },
    })
    expect(res.statusCode).toBe(201)

    await receiver.waitFor((r) => r.filter((x) => x.headers['x-treaty-event'] === 'contract_published' && x.status === 200).length === 1)
    const attempts = receiver.received.filter((r) => r.headers['x-treaty-event'] === 'contract_published')
    // Both events were queued together; the two failures fell on whichever went first, and were retried.
    const all = receiver.received.filter((r) =>
      ['contract_published', 'contract_content_changed'].includes(String(r.headers['x-treaty-event'])),
    )
    expect(all.filter((r) => r.status === 500)).toHaveLength(2)
    await receiver.waitFor(
      (r) => r.filter((x) => x.headers['x-treaty-event'] === 'contract_content_changed' && x.status === 200).length === 1,
    )

    const ok = attempts.find((a) => a.status === 200)!
    expect(ok.headers['x-treaty-signature']).toBe(`sha256=${createHmac('sha256', SECRET).update(ok.body).digest('hex')}`)
    expect(ok.headers['content-type']).toBe('application/json')
    expect(ok.headers['x-correlation-id']).toBe('pipeline-7')
    const body = JSON.parse(ok.body)
    expect(body).toMatchObject({
      event: 'contract_published',
      data: { consumer: worker, version: '1.0.0', branch: 'main', contracts: [{ provider: api, status: 'created' }] },
    })
    expect(body.id).toMatch(/^[0-9a-f-]{36}$/)
    // Every attempt of one delivery carries the same bytes, so the same signature and event id.
    expect(new Set(all.filter((a) => a.headers['x-treaty-delivery'] === ok.headers['x-treaty-delivery']).map((a) => a.body)).size).toBe(1)
    expect(bodiesOf('contract_content_changed')[0].data).toMatchObject({ consumer: worker, provider: api, previousContentHash: null })

    // The receiver answered; the broker records the outcome just after.
    const log = await until(
      () => deliveriesOf(hookId),
      (l) => l.length === 2 && l.every((d) => d.status === 'succeeded'),
    )
    const published = log.find((d) => d.event === 'contract_published')!
    expect(published).toMatchObject({ status: 'succeeded', lastStatusCode: 200, correlationId: 'pipeline-7' })
    expect(published.history.at(-1)).toMatchObject({ statusCode: 200, error: null })
    const totalAttempts = log.reduce((n, d) => n + d.attempts, 0)
    expect(totalAttempts).toBe(4)
  })

  it('delivers verification and deployment events with what a receiver needs', async () => {
    const [worker, api, env] = [unique('worker'), unique('api'), unique('env')]
    const h = await published(c, { consumer: worker, version: '1.0.0', contracts: [contractDoc(worker, api)] })
    await c.post('/api/verifications', {
      provider: api,
      providerVersion: '2.0.0',
      branch: 'main',
      results: [{ contentHash: h[api], success: true }],
    })
    await c.put(`/api/environments/${env}`, { production: true })
    await c.post(`/api/environments/${env}/deployments`, { service: api, version: '2.0.0' })
    await receiver.waitFor(() => bodiesOf('deployment_recorded').some((b) => b.data.environment === env))
    await receiver.waitFor(() => bodiesOf('verification_published').some((b) => b.data.provider === api))
    expect(bodiesOf('verification_published').find((b) => b.data.provider === api).data).toMatchObject({
      providerVersion: '2.0.0',
      branch: 'main',
      success: true,
      results: [{ contentHash: h[api], consumer: worker, success: true }],
    })
    expect(bodiesOf('deployment_recorded').find((b) => b.data.environment === env).data).toEqual({
      environment: env,
      service: api,
      version: '2.0.0',
      replacedVersion: null,
    })
  })

  it('signals contract_content_changed only when a version changes what it expects of a provider', async () => {
    const [worker, api] = [unique('worker'), unique('api')]
    const changes = () => bodiesOf('contract_content_changed').filter((b) => b.data.consumer === worker)
    const h1 = await published(c, { consumer: worker, version: '1.0.0', contracts: [contractDoc(worker, api)] })
    await published(c, { consumer: worker, version: '1.1.0', contracts: [contractDoc(worker, api)] })
    const h3 = await published(c, { consumer: worker, version: '1.2.0', contracts: [contractDoc(worker, api, { variant: 1 })] })
    await receiver.waitFor(
      () => bodiesOf('contract_published').filter((b) => b.data.consumer === worker).length === 3 && changes().length >= 2,
    )
    expect(changes().map((b) => [b.data.version, b.data.previousContentHash, b.data.contentHash])).toEqual([
      ['1.0.0', null, h1[api]],
      ['1.2.0', h1[api], h3[api]],
    ])
  })

  it('only delivers the events a webhook subscribed to', async () => {
    const before = receiver.received.length
    const narrow = json(await c.post('/api/webhooks', { url: `${receiver.url}?narrow`, events: ['deployment_recorded'] })).id
    const worker = unique('worker')
    await published(c, { consumer: worker, version: '1', contracts: [contractDoc(worker, unique('api'))] })
    await receiver.waitFor((r) => r.slice(before).filter((x) => x.status === 200).length >= 2)
    expect(await deliveriesOf(narrow)).toEqual([])
    await c.delete(`/api/webhooks/${narrow}`)
  })

  it('gives up after the last attempt and says so in the delivery log', async () => {
    const failing = await startReceiver()
    failing.always(503)
    try {
      const id = json(await c.post('/api/webhooks', { url: failing.url, events: ['deployment_recorded'] })).id
      const env = unique('env')
      await c.put(`/api/environments/${env}`, {})
      const svc = unique('svc')
      await published(c, { consumer: svc, version: '1', contracts: [contractDoc(svc, unique('api'))] })
      await c.post(`/api/environments/${env}/deployments`, { service: svc, version: '1' })
      await failing.waitFor((r) => r.length === 4)
      const log = await until(
        () => deliveriesOf(id),
        (l) => l[0]?.status === 'failed',
      )
      expect(log[0]).toMatchObject({ status: 'failed', attempts: 4, lastError: 'receiver answered 503' })
      expect(log[0]!.history).toHaveLength(4)
      await new Promise((r) => setTimeout(r, 300))
      expect(failing.received).toHaveLength(4)
      await c.delete(`/api/webhooks/${id}`)
    } finally {
      await failing.close()
    }
  })

  it('keeps undelivered events across a broker restart and delivers them after', async () => {
    const down = await startReceiver()
    const downUrl = down.url
    await down.close()
    // The receiver is gone (connection refused) while the event happens.
    const id = json(await c.post('/api/webhooks', { url: downUrl, events: ['contract_published'], secret: SECRET })).id
    const worker = unique('worker')
    await published(c, { consumer: worker, version: '3.0.0', contracts: [contractDoc(worker, unique('api'))] })
    const log = await until(
      () => deliveriesOf(id),
      (l) => (l[0]?.attempts ?? 0) >= 1 && Boolean(l[0]?.lastError),
    )
    expect(log[0]).toMatchObject({ status: 'pending', lastError: 'ECONNREFUSED' })

    await app!.close()
    // The receiver comes back on the same URL while no broker runs; then a new broker opens the same store.
    const back = await startReceiver(Number(new URL(downUrl).port))
    try {
      await open()
      await back.waitFor((r) => r.some((x) => x.status === 200 && JSON.parse(x.body).data.consumer === worker))
      const delivered = back.received.find((x) => JSON.parse(x.body).data.consumer === worker)!
      expect(delivered.headers['x-treaty-signature']).toBe(`sha256=${createHmac('sha256', SECRET).update(delivered.body).digest('hex')}`)
      const after = await until(
        () => deliveriesOf(id),
        (l) => l[0]?.status === 'succeeded',
      )
      expect(after[0]).toMatchObject({ status: 'succeeded' })
    } finally {
      await back.close()
    }
  })

  it('a broker with delivery switched off leaves events queued for one that delivers', async () => {
    await app!.close()
    await open({ enabled: false })
    const before = receiver.received.length
    const worker = unique('worker')
    await published(c, { consumer: worker, version: '1', contracts: [contractDoc(worker, unique('api'))] })
    await new Promise((r) => setTimeout(r, 300))
    expect(receiver.received.length).toBe(before)
    expect((await app!.inject({ method: 'GET', url: '/metrics' })).body).toMatch(/treaty_webhook_queue_depth [1-9]/)
    await app!.close()
    await open()
    await receiver.waitFor((r) => r.slice(before).some((x) => x.status === 200 && JSON.parse(x.body).data.consumer === worker))
  })
})
