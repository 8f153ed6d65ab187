// The web UI's routes over `inject`: pairs (bounded pages, filters), the contract view, badges and their
// token rule, the static assets with their security headers, and the OpenAPI entries.

import { MAX_PAIRS_PAGE } from '@treaty/core/wire'
import type { FastifyInstance } from 'fastify'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { buildBroker } from '../src/app.js'
import { IN_MEMORY, openStore, type Store } from '../src/store/store.js'
import { type Client, client, contractDoc, json } from './support/fixtures.js'

const tokens = { read: 'read-token-0123456789', write: 'write-token-0123456789', admin: 'admin-token-0123456789' }
let store: Store
let app: FastifyInstance
let publicApp: FastifyInstance
let http: Client

beforeAll(async () => {
  store = await openStore({ dataDir: IN_MEMORY })
  app = await buildBroker({ store, tokens, webhooks: { enabled: false }, logLevel: 'warn' })
  publicApp = await buildBroker({ store, tokens, publicBadges: true, webhooks: { enabled: false }, logLevel: 'warn' })
  http = client(app, 'admin-token-0123456789')
  const publish = async (consumer: string, provider: string, version: string, variant: number, branch = 'main') => {
    const res = await http.post('/api/contracts', { consumer, version, branch, contracts: [contractDoc(consumer, provider, { variant })] })
    expect(res.statusCode, res.body).toBe(201)
    return json(res).contracts[0].contentHash as string
  }
  const worker = await publish('worker', 'api', '1', 0)
  const billing = await publish('billing', 'api', '1', 0)
  await publish('worker', 'api', '2', 1, 'feature')
  const passed = [{ description: 'a message on pdf.requested', success: true }]
  const verified = await http.post('/api/verifications', {
    provider: 'api',
    providerVersion: '7',
    branch: 'main',
    results: [
      { contentHash: worker, success: true, expectations: passed },
      { contentHash: billing, success: true, expectations: passed },
    ],
  })
  expect(verified.statusCode, verified.body).toBe(201)
  expect((await http.put('/api/environments/production', { production: true })).statusCode).toBe(201)
  expect((await http.post('/api/environments/production/deployments', { service: 'worker', version: '1' })).statusCode).toBe(201)
}, 180_000)

afterAll(async () => {
  await app?.close()
  await publicApp?.close()
  await store?.close()
})

describe('GET /api/pairs', () => {
  it('lists one row per pair from each consumer’s latest contract, with its state', async () => {
    const body = json(await http.get('/api/pairs'))
    expect(body.total).toBe(2)
    expect(
      body.pairs.map((p: { consumer: string; consumerVersion: string; state: string; pending: boolean }) => [
        p.consumer,
        p.consumerVersion,
        p.state,
        p.pending,
      ]),
    ).toEqual([
      ['billing', '1', 'verified', false],
      ['worker', '2', 'pending', true],
    ])
  })

  it('follows an environment or a branch, and searches names', async () => {
    const inProd = json(await http.get('/api/pairs?environment=production'))
    expect(
      inProd.pairs.map((p: { consumer: string; consumerVersion: string; state: string }) => [p.consumer, p.consumerVersion, p.state]),
    ).toEqual([['worker', '1', 'verified']])
    expect(json(await http.get('/api/pairs?branch=feature')).total).toBe(1)
    expect(json(await http.get('/api/pairs?q=BILL')).pairs.map((p: { consumer: string }) => p.consumer)).toEqual(['billing'])
  })

  it('pages: a bounded limit, an offset, and the total even past the end', async () => {
    expect(json(await http.get('/api/pairs?limit=1&offset=1')).pairs.map((p: { consumer: string }) => p.consumer)).toEqual(['worker'])
    expect(json(await http.get('/api/pairs?limit=1&offset=5'))).toEqual({ total: 2, pairs: [] })
    const tooMany = await http.get(`/api/pairs?limit=${MAX_PAIRS_PAGE + 1}`)
    expect(tooMany.statusCode).toBe(400)
    expect(json(tooMany).error.code).toBe('TREATY_BROKER_VALIDATION')
    expect(json(await http.get('/api/pairs?environment=nowhere')).error.code).toBe('TREATY_BROKER_ENVIRONMENT_NOT_FOUND')
  })

  it('needs a read token like the rest of the API', async () => {
    expect((await app.inject({ method: 'GET', url: '/api/pairs' })).statusCode).toBe(401)
    expect((await http.get('/api/pairs', 'read-token-0123456789')).statusCode).toBe(200)
  })
})

describe('GET /api/pairs/:consumer/:provider/contract', () => {
  it('gives the latest contract, its variants, and its evolution from the previous version', async () => {
    const view = json(await http.get('/api/pairs/worker/api/contract'))
    expect(view.consumerVersion).toBe('2')
    expect(view.previousVersion).toBe('1')
    expect(view.verification).toBeNull()
    expect(view.variants[0].messages.length).toBeGreaterThan(0)
    const [change] = view.evolution
    expect(change.change).toBe('changed')
    expect(change.checks.flatMap((c: { differences: { kind: string }[] }) => c.differences.map((d) => d.kind))).toContain(
      'REQUIRED_PROPERTY_ADDED',
    )
  })

  it('includes the latest replayed verification of a version’s content', async () => {
    const view = json(await http.get('/api/pairs/worker/api/contract?version=1'))
    expect(view.previousVersion).toBeNull()
    expect(view.verification).toMatchObject({ providerVersion: '7', success: true })
  })

  it('answers 404 with the store’s codes for an unknown pair or version', async () => {
    expect(json(await http.get('/api/pairs/worker/nobody/contract')).error).toMatchObject({
      code: 'TREATY_BROKER_SERVICE_NOT_FOUND',
      path: 'params.provider',
    })
    expect(json(await http.get('/api/pairs/workr/api/contract')).error).toMatchObject({
      path: 'params.consumer',
      message: expect.stringContaining('did you mean "worker"'),
    })
    expect(json(await http.get('/api/pairs/billing/worker/contract')).error.code).toBe('TREATY_BROKER_CONTRACT_NOT_FOUND')
    expect(json(await http.get('/api/pairs/worker/api/contract?version=9')).error.code).toMatch(/NOT_FOUND$/)
  })
})

describe('badges', () => {
  it('need a read token unless the broker serves them publicly', async () => {
    expect((await app.inject({ method: 'GET', url: '/badges/pairs/billing/api.svg' })).statusCode).toBe(401)
    const open = await publicApp.inject({ method: 'GET', url: '/badges/pairs/billing/api.svg' })
    expect(open.statusCode).toBe(200)
    expect(open.headers['content-type']).toContain('image/svg+xml')
    expect(open.body).toContain('<title>billing → api: verified</title>')
  })

  it('say “unknown” with a 404 for a pair or service the broker does not know', async () => {
    const res = await publicApp.inject({ method: 'GET', url: '/badges/pairs/billing/nobody.svg' })
    expect(res.statusCode).toBe(404)
    expect(res.body).toContain('unknown')
    expect((await publicApp.inject({ method: 'GET', url: '/badges/can-i-deploy/nobody/production.svg' })).statusCode).toBe(404)
  })

  it('answer can-i-deploy for the service’s latest version', async () => {
    const res = await publicApp.inject({ method: 'GET', url: '/badges/can-i-deploy/worker/production.svg' })
    expect(res.statusCode).toBe(200)
    expect(res.body).toMatch(/deploy worker to production: (yes|no) \(2\)/)
  })
})

describe('the static UI', () => {
  it('serves index.html at / with a same-origin content security policy, and keeps the JSON 404 elsewhere', async () => {
    const res = await app.inject({ method: 'GET', url: '/' })
    expect(res.statusCode).toBe(200)
    expect(res.headers['content-type']).toContain('text/html')
    expect(res.headers['content-security-policy']).toContain("default-src 'self'")
    expect(res.body).toContain('<script type="module" src="app.js"></script>')
    const missing = await app.inject({ method: 'GET', url: '/nothing-here' })
    expect(missing.statusCode).toBe(404)
    expect(json(missing).error.code).toBe('TREATY_BROKER_ROUTE_NOT_FOUND')
  })

  it('documents the new read endpoints and badges in the OpenAPI document', async () => {
    const paths = Object.keys(json(await app.inject({ method: 'GET', url: '/docs/openapi.json' })).paths)
    expect(paths).toEqual(
      expect.arrayContaining(['/api/pairs', '/api/pairs/{consumer}/{provider}/contract', '/badges/pairs/{consumer}/{provider}.svg']),
    )
  })
})
