// Service-scoped tokens against a real broker process started with a tokens file: a token limited to a
// service acts only for it on every write route (403 naming the service, nothing changed), `overwrite` needs
// admin, and a consumer's CI token cannot record a verification as its provider to flip can-i-deploy.

import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { brokerForFile } from '@treaty/test-support'
import { beforeAll, describe, expect, it } from 'vitest'
import { BrokerErrorCodes } from '../../src/errors.js'
import { contractDoc } from '../support/fixtures.js'

const T = {
  read: 'read-token-scoped-0000001',
  write: 'write-token-scoped-000002',
  admin: 'admin-token-scoped-000003',
  worker: 'worker-ci-token-00000004',
  api: 'api-ci-token-000000000005',
}
// worker consumes from api; other consumes from worker (so worker is also a provider).
const [worker, api, other] = ['pdf-worker', 'pdf-api', 'audit']
const broker = brokerForFile('treaty-scoped-', (dir) => {
  const file = join(dir, 'tokens.yaml')
  writeFileSync(
    file,
    [
      'tokens:',
      `  - { name: worker-ci, token: ${T.worker}, services: [${worker}] }`,
      `  - name: api-ci`,
      `    token: ${T.api}`,
      `    services: [${api}]`,
      '',
    ].join('\n'),
  )
  return { TREATY_READ_TOKEN: T.read, TREATY_WRITE_TOKEN: T.write, TREATY_ADMIN_TOKEN: T.admin, TREATY_TOKENS_FILE: file }
})

interface Res {
  status: number
  // biome-ignore lint/suspicious/noExplicitAny: tests read response bodies loosely and assert on them.
  body: any
}

async function call(method: string, path: string, token: string, body?: unknown): Promise<Res> {
  const res = await fetch(`${broker().url}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  })
  const text = await res.text()
  return { status: res.status, body: text ? JSON.parse(text) : undefined }
}

async function ok(method: string, path: string, token: string, body?: unknown): Promise<Res> {
  const res = await call(method, path, token, body)
  if (res.status >= 300) throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(res.body)}`)
  return res
}

/** Everything a write route could change, read back as the admin. */
async function state(): Promise<unknown> {
  const paths = [
    '/api/services',
    ...[worker, api, other].map((s) => `/api/services/${s}`),
    ...[worker, api].map((s) => `/api/matrix?service=${s}`),
    ...['prod', 'staging'].map((e) => `/api/environments/${e}/deployments?history=true`),
    `/api/providers/${worker}/schemas`,
    `/api/providers/${api}/schemas`,
    '/api/channels',
    `/api/can-i-deploy?service=${worker}&version=1.0.0&environment=prod`,
  ]
  return Promise.all(paths.map(async (p) => [p, await call('GET', p, T.admin)]))
}

const producers = [{ key: 'pdf.requested', payload: { type: 'object' }, headers: { type: 'object' } }]
const hashes: Record<string, string> = {}

describe('service-scoped tokens', () => {
  beforeAll(async () => {
    // The world: worker 1.0.0 → api, audit 1.0.0 → worker; api 1.0.0 verified worker's contract and FAILED.
    for (const e of ['prod', 'staging']) await ok('PUT', `/api/environments/${e}`, T.admin, { production: e === 'prod' })
    const w = await ok('POST', '/api/contracts', T.worker, { consumer: worker, version: '1.0.0', contracts: [contractDoc(worker, api)] })
    hashes.workerApi = w.body.contracts[0].contentHash
    const o = await ok('POST', '/api/contracts', T.write, { consumer: other, version: '1.0.0', contracts: [contractDoc(other, worker)] })
    hashes.otherWorker = o.body.contracts[0].contentHash
    await ok('POST', '/api/verifications', T.api, {
      provider: api,
      providerVersion: '1.0.0',
      results: [{ contentHash: hashes.workerApi, success: false }],
    })
    await ok('POST', '/api/verifications', T.worker, {
      provider: worker,
      providerVersion: '1.0.0',
      results: [{ contentHash: hashes.otherWorker, success: true }],
    })
    await ok('POST', '/api/environments/prod/deployments', T.api, { service: api, version: '1.0.0' })
    await ok('POST', '/api/environments/staging/deployments', T.worker, { service: worker, version: '1.0.0' })
    await ok('POST', '/api/environments/staging/releases', T.worker, { service: worker, version: '1.0.0' })
    await ok('PUT', '/api/channels/pdf.requested/retention', T.write, {
      policy: 'limits',
      maxAgeMs: 86_400_000,
      maxMessages: null,
      deadLetter: null,
      stream: 'PDF',
      source: 'declared',
    })
  }, 120_000)

  it('a consumer CI token cannot record a verification as the provider and flip can-i-deploy', async () => {
    const canIDeploy = async () =>
      (await ok('GET', `/api/can-i-deploy?service=${worker}&version=1.0.0&environment=prod`, T.read)).body.deployable
    expect(await canIDeploy()).toBe(false)
    const before = await state()

    const forged = await call('POST', '/api/verifications', T.worker, {
      provider: api,
      providerVersion: '1.0.0',
      results: [{ contentHash: hashes.workerApi, success: true }],
    })
    expect(forged).toEqual({
      status: 403,
      body: {
        error: {
          code: BrokerErrorCodes.FORBIDDEN,
          message: `the token "worker-ci" may act only for ${worker}; it may not record verifications as provider "${api}"`,
          path: 'body.provider',
        },
      },
    })
    expect(await state()).toEqual(before)
    expect(await canIDeploy()).toBe(false)

    // The provider's own token may: the refusal above is the scope, not the request.
    await ok('POST', '/api/verifications', T.api, {
      provider: api,
      providerVersion: '1.0.0',
      results: [{ contentHash: hashes.workerApi, success: true }],
    })
    expect(await canIDeploy()).toBe(true)
  })

  /**
   * Every write route: a request acting for a service outside the token's scope, and one inside it (or, for a
   * route that acts for no one service, with an unscoped write token). Keyed by the OpenAPI operation.
   */
  const routes: Record<string, { refused: [string, unknown]; allowed: [string, unknown, string?] }> = {
    'POST /api/contracts': {
      refused: ['/api/contracts', { consumer: api, version: '9.0.0', contracts: [contractDoc(api, worker)] }],
      allowed: ['/api/contracts', { consumer: worker, version: '2.0.0', contracts: [contractDoc(worker, api)] }],
    },
    'POST /api/verifications': {
      refused: ['/api/verifications', { provider: api, providerVersion: '9.0.0', results: [{ contentHash: 'WORKER_API', success: true }] }],
      allowed: [
        '/api/verifications',
        { provider: worker, providerVersion: '2.0.0', results: [{ contentHash: 'OTHER_WORKER', success: true }] },
      ],
    },
    'POST /api/providers/{provider}/schemas': {
      refused: [`/api/providers/${api}/schemas`, { providerVersion: '1.0.0', producers }],
      allowed: [`/api/providers/${worker}/schemas`, { providerVersion: '1.0.0', producers }],
    },
    'POST /api/environments/{name}/deployments': {
      refused: ['/api/environments/prod/deployments', { service: other, version: '1.0.0' }],
      allowed: ['/api/environments/prod/deployments', { service: worker, version: '1.0.0' }],
    },
    'POST /api/environments/{name}/undeployments': {
      refused: ['/api/environments/prod/undeployments', { service: api }],
      allowed: ['/api/environments/staging/undeployments', { service: worker }],
    },
    'POST /api/environments/{name}/releases': {
      refused: ['/api/environments/prod/releases', { service: api, version: '1.0.0' }],
      allowed: ['/api/environments/prod/releases', { service: worker, version: '1.0.0' }],
    },
    'POST /api/environments/{name}/support-ended': {
      refused: ['/api/environments/staging/support-ended', { service: api, version: '1.0.0' }],
      allowed: ['/api/environments/staging/support-ended', { service: worker, version: '1.0.0' }],
    },
    'PATCH /api/services/{name}': {
      refused: [`/api/services/${api}`, { mainBranch: 'trunk' }],
      allowed: [`/api/services/${worker}`, { mainBranch: 'trunk' }],
    },
    'PUT /api/services/{name}/versions/{version}': {
      refused: [`/api/services/${api}/versions/9.9.9`, {}],
      allowed: [`/api/services/${worker}/versions/9.9.9`, { branch: 'main' }],
    },
    'POST /api/observations': {
      refused: ['/api/observations', { runId: 'r1', environment: 'prod', observations: [observation(worker, api, 'WORKER_API')] }],
      allowed: ['/api/observations', { runId: 'r2', environment: 'prod', observations: [observation(other, worker, 'OTHER_WORKER')] }],
    },
    'PUT /api/channels/{channel}/retention': {
      refused: ['/api/channels/pdf.requested/retention', retention(3_600_000)],
      allowed: ['/api/channels/pdf.requested/retention', retention(7_200_000), T.write],
    },
  }

  it('every write route refuses a scoped token acting for another service (403 naming it, nothing changed) and serves it for its own', async () => {
    const doc = (await ok('GET', '/docs/openapi.json', T.read)).body
    const writeOps = Object.entries(doc.paths as Record<string, Record<string, { description?: string }>>).flatMap(([path, item]) =>
      Object.entries(item)
        .filter(([, op]) => op.description?.startsWith('Needs a write'))
        .map(([method]) => `${method.toUpperCase()} ${path}`),
    )
    // A new write route must join this table (and decide whom it acts for).
    expect(writeOps.sort()).toEqual(Object.keys(routes).sort())

    const fill = (body: unknown) =>
      JSON.parse(JSON.stringify(body).replaceAll('WORKER_API', hashes.workerApi!).replaceAll('OTHER_WORKER', hashes.otherWorker!))
    for (const [op, { refused, allowed }] of Object.entries(routes)) {
      const method = op.split(' ')[0]!
      const before = await state()
      const res = await call(method, refused[0], T.worker, fill(refused[1]))
      expect({ op, status: res.status, code: res.body?.error?.code }).toEqual({ op, status: 403, code: BrokerErrorCodes.FORBIDDEN })
      expect(res.body.error.message, op).toContain('worker-ci')
      expect(await state(), `${op} changed something`).toEqual(before)
      const served = await call(method, allowed[0], allowed[2] ?? T.worker, fill(allowed[1]))
      expect({ op, status: served.status < 300 ? 'ok' : served.body }).toEqual({ op, status: 'ok' })
    }
  }, 180_000)

  it('names the service it may not act for, and the field that named it', async () => {
    const res = await call('POST', '/api/environments/prod/deployments', T.api, { service: worker, version: '1.0.0' })
    expect(res.body.error).toEqual({
      code: BrokerErrorCodes.FORBIDDEN,
      message: `the token "api-ci" may act only for ${api}; it may not record deployments of "${worker}"`,
      path: 'body.service',
    })
  })

  it('a scoped token is a write token: admin routes refuse it', async () => {
    for (const [method, path, body] of [
      ['PUT', '/api/environments/qa', {}],
      ['GET', '/api/webhooks', undefined],
      ['DELETE', `/api/services/${worker}`, undefined],
    ] as const) {
      expect((await call(method, path, T.worker, body)).status, `${method} ${path}`).toBe(403)
    }
    expect((await call('GET', `/api/services/${api}`, T.worker)).status).toBe(200)
  })

  it('overwrite is admin-only, for scoped and unscoped write tokens alike', async () => {
    const replacement = contractDoc(worker, api, { variant: 7 })
    const body = { consumer: worker, version: '1.0.0', contracts: [replacement], overwrite: true }
    for (const token of [T.worker, T.write]) {
      const before = await state()
      const res = await call('POST', '/api/contracts', token, body)
      expect({ status: res.status, code: res.body.error.code, path: res.body.error.path }).toEqual({
        status: 403,
        code: BrokerErrorCodes.FORBIDDEN,
        path: 'body.overwrite',
      })
      expect(await state()).toEqual(before)
    }
    const schemaOverwrite = await call('POST', `/api/providers/${worker}/schemas`, T.worker, {
      providerVersion: '1.0.0',
      producers: [],
      overwrite: true,
    })
    expect(schemaOverwrite.body.error.path).toBe('body.overwrite')
    // An admin may overwrite, though not the contract of a version an environment runs (1.0.0 is deployed here).
    expect((await call('POST', '/api/contracts', T.admin, body)).body.error.code).toBe(BrokerErrorCodes.STILL_DEPLOYED)
    await call('POST', '/api/contracts', T.admin, { ...body, version: '1.0.9', contracts: [contractDoc(worker, api)], overwrite: false })
    expect((await call('POST', '/api/contracts', T.admin, { ...body, version: '1.0.9' })).status).toBeLessThan(300)
  })
})

function observation(consumer: string, provider: string, contentHash: string) {
  return {
    provider,
    providerVersion: '1.0.0',
    consumer,
    consumerVersion: '1.0.0',
    contentHash,
    channel: 'pdf.requested',
    messages: 10,
    mismatches: 0,
    pointers: [],
  }
}

function retention(maxAgeMs: number) {
  return { policy: 'limits', maxAgeMs, maxMessages: null, deadLetter: null, stream: 'PDF', source: 'declared' }
}
