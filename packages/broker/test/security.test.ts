// Tokens, bad input, limits, correlation ids, probes, metrics and the OpenAPI document, over `inject`.
import type { FastifyInstance } from 'fastify'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { buildBroker } from '../src/app.js'
import { BrokerErrorCodes } from '../src/errors.js'
import { createLogger } from '../src/logging.js'
import { IN_MEMORY, openStore, type Store } from '../src/store/store.js'
import { client, contractDoc, json, unique } from './support/fixtures.js'

const tokens = { read: 'read-secret-token-0001', write: 'write-secret-token-0002', admin: 'admin-secret-token-0003' }
const logLines: Record<string, unknown>[] = []
const capture = { write: (line: string) => void logLines.push(JSON.parse(line)) }

let store: Store
let app: FastifyInstance

beforeAll(async () => {
  store = await openStore({ dataDir: IN_MEMORY })
  app = await buildBroker({ store, tokens, logger: createLogger('info', capture), webhooks: { enabled: false } })
})

afterAll(async () => {
  await app?.close()
  await store?.close()
})

/** Every operation in the OpenAPI document, with its path parameters filled in with valid names. */
async function operations(): Promise<{ method: string; url: string; path: string }[]> {
  const doc = json(await app.inject({ method: 'GET', url: '/docs/openapi.json' }))
  const out: { method: string; url: string; path: string }[] = []
  for (const [path, item] of Object.entries(doc.paths as Record<string, Record<string, unknown>>)) {
    for (const method of Object.keys(item)) out.push({ method: method.toUpperCase(), path, url: path.replace(/\{[^}]+\}/g, 'some-name') })
  }
  return out
}

describe('tokens', () => {
  it('every /api operation in the OpenAPI document refuses a request without a token (401, WWW-Authenticate)', async () => {
    const ops = (await operations()).filter((o) => o.path.startsWith('/api/'))
    expect(ops.length).toBeGreaterThanOrEqual(17)
    for (const op of ops) {
      const res = await app.inject({
        method: op.method as 'GET',
        url: op.url,
        ...(op.method === 'GET' || op.method === 'DELETE' ? {} : { payload: {} }),
      })
      expect({ op: `${op.method} ${op.path}`, status: res.statusCode, code: json(res).error.code }).toEqual({
        op: `${op.method} ${op.path}`,
        status: 401,
        code: BrokerErrorCodes.UNAUTHORIZED,
      })
      expect(res.headers['www-authenticate']).toBe('Bearer')
    }
  })

  it('probes, metrics and the API document stay open', async () => {
    for (const url of ['/healthz', '/readyz', '/metrics', '/docs/openapi.json']) {
      expect((await app.inject({ method: 'GET', url })).statusCode).toBe(200)
    }
  })

  it('read < write < admin: each level does its own work and the ones below, and gets 403 above', async () => {
    const [worker, api, env] = [unique('worker'), unique('api'), unique('env')]
    const body = { consumer: worker, version: '1.0.0', contracts: [contractDoc(worker, api)] }
    const as = (level: keyof typeof tokens) => client(app, tokens[level])

    expect((await as('read').post('/api/contracts', body)).statusCode).toBe(403)
    expect((await as('write').post('/api/contracts', body)).statusCode).toBe(201)
    expect((await as('read').get(`/api/services/${worker}`)).statusCode).toBe(200)

    const forbidden = await as('write').put(`/api/environments/${env}`, {})
    expect(forbidden.statusCode).toBe(403)
    expect(json(forbidden).error.message).toContain('admin')
    expect((await as('admin').put(`/api/environments/${env}`, {})).statusCode).toBe(201)
    expect((await as('write').post(`/api/environments/${env}/deployments`, { service: worker, version: '1.0.0' })).statusCode).toBe(201)
    expect((await as('write').get('/api/webhooks')).statusCode).toBe(403)
    expect((await as('admin').get('/api/webhooks')).statusCode).toBe(200)
    expect((await client(app, 'not-a-token-at-all').get('/api/services')).statusCode).toBe(401)
  })

  it('never writes a token into the log', async () => {
    await client(app, tokens.admin).get('/api/services')
    await client(app, 'wrong-token-0123456789').get('/api/services')
    const text = JSON.stringify(logLines)
    for (const t of [...Object.values(tokens), 'wrong-token-0123456789']) expect(text).not.toContain(t)
  })
})

describe('bad input', () => {
  const c = () => client(app, tokens.admin)

  it('answers 415 for a body that is not JSON', async () => {
    for (const type of ['text/plain', 'application/x-www-form-urlencoded']) {
      const res = await app.inject({
        method: 'POST',
        url: '/api/contracts',
        headers: { authorization: `Bearer ${tokens.write}`, 'content-type': type },
        payload: 'consumer=x',
      })
      expect(res.statusCode).toBe(415)
      expect(json(res).error.code).toBe(BrokerErrorCodes.UNSUPPORTED_MEDIA_TYPE)
    }
  })

  it('answers 400 for broken JSON and 404 for an unknown route, in the one error shape', async () => {
    const broken = await app.inject({
      method: 'POST',
      url: '/api/contracts',
      headers: { authorization: `Bearer ${tokens.write}`, 'content-type': 'application/json' },
      payload: '{"consumer": ',
    })
    expect(broken.statusCode).toBe(400)
    expect(json(broken)).toEqual({
      error: { code: BrokerErrorCodes.BODY_INVALID_JSON, message: 'the body is not valid JSON', path: 'body' },
    })
    const missing = await c().get('/api/nothing-here-marker?x=1')
    expect(missing.statusCode).toBe(404)
    expect(json(missing).error.code).toBe(BrokerErrorCodes.ROUTE_NOT_FOUND)
    // The requested path is the caller's input: a 404 does not reflect it.
    expect(missing.body).not.toContain('marker')
    expect(json(missing).error.message).toContain('/docs/openapi.json')
  })

  it('refuses a contract whose provider name no route could address (".."), and stores nothing', async () => {
    const worker = unique('worker')
    for (const provider of ['pdf..api', 'a..']) {
      const res = await client(app, tokens.write).post('/api/contracts', {
        consumer: worker,
        version: '1.0.0',
        contracts: [contractDoc(worker, provider)],
      })
      expect({ status: res.statusCode, error: json(res).error }).toMatchObject({
        status: 400,
        error: { code: BrokerErrorCodes.CONTRACT_INVALID, path: 'body.contracts[0].provider' },
      })
    }
    expect((await c().get(`/api/services/${worker}`)).statusCode).toBe(404)
  })

  it('answers 413 for a body over the limit', async () => {
    const small = await buildBroker({ store, bodyLimit: 4096, logLevel: 'silent', webhooks: { enabled: false } })
    try {
      const worker = unique('worker')
      const big = contractDoc(worker, unique('api'), { channels: Array.from({ length: 60 }, (_, i) => `channel.number.${i}`) })
      const res = await client(small).post('/api/contracts', { consumer: worker, version: '1.0.0', contracts: [big] })
      expect(res.statusCode).toBe(413)
      expect(json(res).error.code).toBe(BrokerErrorCodes.BODY_TOO_LARGE)
      expect(json(res).error.message).toContain('4096')
    } finally {
      await small.close()
    }
  })

  it('validates path parameters and query strings: no path tricks in names', async () => {
    const res = await c().get('/api/services/..%2F..%2Fetc')
    expect(res.statusCode).toBe(400)
    expect(json(res).error).toMatchObject({ code: BrokerErrorCodes.VALIDATION, path: 'params.name' })
    const q = await c().get('/api/can-i-deploy?service=a&version=1&environment=prod%0Aevil')
    expect(json(q).error).toMatchObject({ code: BrokerErrorCodes.VALIDATION, path: 'query.environment' })
    const extra = await c().get('/api/matrix?service=a&sql=1')
    expect(json(extra).error.path).toBe('query.sql')
  })
})

describe('correlation ids and logs', () => {
  it('echoes the caller’s x-correlation-id and puts it on every log line of the request', async () => {
    const before = logLines.length
    const res = await app.inject({
      method: 'POST',
      url: '/api/contracts',
      headers: { authorization: `Bearer ${tokens.write}`, 'x-correlation-id': 'deploy-42.7' },
      payload: { consumer: 'bad name' },
    })
    expect(res.statusCode).toBe(400)
    expect(res.headers['x-correlation-id']).toBe('deploy-42.7')
    const lines = logLines.slice(before)
    expect(lines.length).toBeGreaterThanOrEqual(3)
    expect(lines.map((l) => l.correlationId)).toEqual(lines.map(() => 'deploy-42.7'))
    expect(lines.map((l) => l.msg)).toEqual(expect.arrayContaining(['incoming request', 'request completed']))
  })

  it('makes one up when absent or unsafe', async () => {
    const none = await app.inject({ method: 'GET', url: '/healthz' })
    expect(none.headers['x-correlation-id']).toMatch(/^[0-9a-f-]{36}$/)
    const unsafe = await app.inject({ method: 'GET', url: '/healthz', headers: { 'x-correlation-id': 'a b"\\c' } })
    expect(unsafe.headers['x-correlation-id']).toMatch(/^[0-9a-f-]{36}$/)
  })

  it('warns loudly at start when no token is configured', async () => {
    const lines: Record<string, unknown>[] = []
    const open = await buildBroker({ store, logger: createLogger('warn', { write: (l: string) => void lines.push(JSON.parse(l)) }) })
    await open.close()
    expect(lines).toEqual(
      expect.arrayContaining([expect.objectContaining({ level: 40, msg: expect.stringContaining('SECURITY: no token configured') })]),
    )
  })
})

describe('operations', () => {
  it('serves an OpenAPI 3 document generated from the route schemas, with bearer security', async () => {
    const doc = json(await app.inject({ method: 'GET', url: '/docs/openapi.json' }))
    expect(doc.openapi).toBe('3.0.3')
    expect(doc.components.securitySchemes.bearerAuth).toEqual({ type: 'http', scheme: 'bearer' })
    const cid = doc.paths['/api/can-i-deploy'].get
    expect(cid.security).toEqual([{ bearerAuth: [] }])
    expect(cid.parameters.map((p: { name: string }) => p.name).sort()).toEqual(['environment', 'service', 'version'])
    expect(doc.paths['/api/contracts'].post.requestBody.content['application/json'].schema.required).toEqual([
      'consumer',
      'version',
      'contracts',
    ])
  })

  it('counts requests by route and status, publishes by outcome, and exposes the webhook queue depth', async () => {
    const worker = unique('worker')
    await client(app, tokens.write).post('/api/contracts', {
      consumer: worker,
      version: '1',
      contracts: [contractDoc(worker, unique('api'))],
    })
    const text = (await app.inject({ method: 'GET', url: '/metrics' })).body
    expect(text).toMatch(/treaty_http_requests_total\{method="POST",route="\/api\/contracts",status="201"\} \d+/)
    expect(text).toMatch(/treaty_http_request_duration_seconds_count\{method="POST",route="\/api\/contracts"\} \d+/)
    expect(text).toMatch(/treaty_contracts_published_total\{outcome="created"\} \d+/)
    expect(text).toContain('treaty_webhook_queue_depth 0')
  })

  it('is ready while its store answers, and 503 with a stable code once it does not', async () => {
    const own = await openStore({ dataDir: IN_MEMORY })
    const lines: Record<string, unknown>[] = []
    const logger = createLogger('info', { write: (l: string) => void lines.push(JSON.parse(l)) })
    const broker = await buildBroker({ store: own, logger, webhooks: { enabled: false } })
    try {
      expect(json(await broker.inject({ method: 'GET', url: '/readyz' }))).toEqual({ status: 'ready', store: 'pglite' })
      await own.close()
      const ready = await broker.inject({ method: 'GET', url: '/readyz' })
      expect(ready.statusCode).toBe(503)
      expect((await broker.inject({ method: 'GET', url: '/healthz' })).statusCode).toBe(200)
      const res = await broker.inject({ method: 'GET', url: '/api/services' })
      expect(res.statusCode).toBe(503)
      expect(json(res).error.code).toBe(BrokerErrorCodes.STORE_UNAVAILABLE)
      expect(res.body).not.toMatch(/at .*\.(js|ts):\d+/)
      // The failure is logged with its type and message, under the request's correlation id, without a stack.
      const failed = lines.find((l) => l.msg === 'request failed')
      expect(failed).toMatchObject({ level: 50, correlationId: res.headers['x-correlation-id'], err: { message: expect.any(String) } })
      expect(JSON.stringify(lines)).not.toMatch(/"stack"|at .*\.(js|ts):\d+/)
    } finally {
      await broker.close()
    }
  })
})
