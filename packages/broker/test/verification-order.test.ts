/**
 * "The latest result counts" when one provider version verified a content several times: every read agrees on
 * which result is latest, also when two were recorded within the same millisecond (a re-run racing the first
 * run, or a clock that did not move), or by broker instances whose clocks disagree (a later result stamped
 * earlier), and can-i-deploy never says yes after a later failure.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { buildBroker } from '../src/app.js'
import { openStore, type Store } from '../src/store/store.js'
import { type Client, client, contractDoc, json, published } from './support/fixtures.js'

describe('verifications recorded within one millisecond', () => {
  const at = new Date('2026-06-01T12:00:00.000Z')
  let store: Store
  let app: Awaited<ReturnType<typeof buildBroker>>
  let c: Client

  beforeAll(async () => {
    store = await openStore({ dataDir: 'memory://', clock: () => at })
    app = await buildBroker({ store, logLevel: 'silent', webhooks: { enabled: false } })
    c = client(app)
  })
  afterAll(async () => {
    await app?.close()
    await store?.close()
  })

  it.each([
    ['a failure after a success', [true, false], 'failed'],
    ['a success after a failure', [false, true], 'verified'],
  ] as const)('%s: can-i-deploy and the matrix take the one recorded last', async (_, outcomes, status) => {
    const [worker, api] = [`worker-${outcomes.join('-')}`, `api-${outcomes.join('-')}`]
    const h = await published(c, { consumer: worker, version: '1.0.0', contracts: [contractDoc(worker, api)] })
    for (const success of outcomes) {
      const res = await c.post('/api/verifications', {
        provider: api,
        providerVersion: '2.0.0',
        results: [{ contentHash: h[api], success }],
      })
      expect(res.statusCode).toBe(201)
    }
    await c.put('/api/environments/production', {})
    expect((await c.post('/api/environments/production/deployments', { service: worker, version: '1.0.0' })).statusCode).toBe(201)
    const answer = json(await c.get(`/api/can-i-deploy?service=${api}&version=2.0.0&environment=production`))
    expect(answer.rows).toMatchObject([{ status }])
    expect(answer.deployable).toBe(status === 'verified')
    const matrix = json(await c.get(`/api/matrix?service=${worker}&version=1.0.0`))
    expect(matrix.rows).toMatchObject([{ verification: { success: status === 'verified' } }])
  })
})

describe('verifications recorded by broker instances whose clocks disagree', () => {
  let now = new Date('2026-06-01T12:00:00.000Z')
  let store: Store
  let app: Awaited<ReturnType<typeof buildBroker>>
  let c: Client

  beforeAll(async () => {
    store = await openStore({ dataDir: 'memory://', clock: () => now })
    app = await buildBroker({ store, logLevel: 'silent', webhooks: { enabled: false } })
    c = client(app)
  })
  afterAll(async () => {
    await app?.close()
    await store?.close()
  })

  it('a failure recorded after a success, by an instance whose clock is 5 s behind, is the latest result', async () => {
    const [worker, api] = ['worker-drift', 'api-drift']
    const h = await published(c, { consumer: worker, version: '1.0.0', contracts: [contractDoc(worker, api)] })
    const record = async (success: boolean) =>
      expect(
        (await c.post('/api/verifications', { provider: api, providerVersion: '2.0.0', results: [{ contentHash: h[api], success }] }))
          .statusCode,
      ).toBe(201)
    await record(true)
    now = new Date(now.getTime() - 5000)
    await record(false)
    await c.put('/api/environments/production', {})
    expect((await c.post('/api/environments/production/deployments', { service: worker, version: '1.0.0' })).statusCode).toBe(201)
    const answer = json(await c.get(`/api/can-i-deploy?service=${api}&version=2.0.0&environment=production`))
    expect(answer).toMatchObject({ deployable: false, rows: [{ status: 'failed' }] })
    const matrix = json(await c.get(`/api/matrix?service=${worker}&version=1.0.0`))
    expect(matrix.rows).toMatchObject([{ verification: { success: false } }])
  })

  it('the verification_published event carries the time the result was stamped with, not the behind clock', async () => {
    const [worker, api] = ['worker-drift-event', 'api-drift-event']
    const hook = await c.post('/api/webhooks', {
      url: 'http://127.0.0.1:9/hook',
      events: ['verification_published'],
      secret: 'test-webhook-secret-0123456789',
    })
    expect(hook.statusCode).toBe(201)
    const h = await published(c, { consumer: worker, version: '1.0.0', contracts: [contractDoc(worker, api)] })
    const record = (success: boolean) =>
      c.post('/api/verifications', { provider: api, providerVersion: '2.0.0', results: [{ contentHash: h[api], success }] })
    await record(true)
    now = new Date(now.getTime() - 5000)
    await record(false)
    const bodies = await store.db.query<{ body: string }>(
      "SELECT body FROM webhook_deliveries WHERE event = 'verification_published' ORDER BY id",
    )
    const [first, second] = bodies.map((b) => JSON.parse(b.body).data as { success: boolean; verifiedAt: string })
    expect([first?.success, second?.success]).toEqual([true, false])
    // A receiver ordering results by verifiedAt must see the failure last, as can-i-deploy and the matrix do.
    expect(Date.parse(second!.verifiedAt)).toBeGreaterThanOrEqual(Date.parse(first!.verifiedAt))
  })
})
