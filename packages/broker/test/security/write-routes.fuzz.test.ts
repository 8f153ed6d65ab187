// A bounded fuzz of every write route, against a real broker process on PostgreSQL: generated JSON bodies
// (arbitrary JSON, and valid bodies with one field replaced by arbitrary JSON) must never get a 5xx, never
// take more than a second, and a 4xx must leave every table exactly as it was.

import { type BrokerProcess, ensureBrokerBuilt, spawnBroker } from '@treaty/test-support'
import { startPostgres, type ThrowawayPostgres } from '@treaty/test-support/postgres'
import fc from 'fast-check'
import pg from 'pg'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { contractDoc } from '../support/fixtures.js'

let postgres: ThrowawayPostgres
let broker: BrokerProcess
let db: pg.Client
let tables: string[] = []

beforeAll(async () => {
  ensureBrokerBuilt()
  postgres = await startPostgres()
  const databaseUrl = await postgres.createDatabase(`treaty_fuzz_${process.pid}`)
  broker = await spawnBroker({ DATABASE_URL: databaseUrl }, 240_000)
  db = new pg.Client({ connectionString: databaseUrl })
  await db.connect()
  const rows = await db.query<{ table_name: string }>(
    "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY table_name",
  )
  tables = rows.rows.map((r) => r.table_name)
  // Something to refer to: a consumer, a provider, an environment.
  await send('POST', '/api/contracts', {
    consumer: 'fuzz-consumer',
    version: '1.0.0',
    contracts: [contractDoc('fuzz-consumer', 'fuzz-provider')],
  })
  await send('PUT', '/api/environments/fuzz-env', {})
}, 600_000)

afterAll(async () => {
  await db?.end()
  await broker?.kill('SIGTERM')
  await postgres?.stop()
}, 180_000)

async function send(method: string, path: string, body: unknown): Promise<{ status: number; ms: number }> {
  const start = performance.now()
  const res = await fetch(`${broker.url}${path}`, {
    method,
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  })
  await res.arrayBuffer()
  return { status: res.status, ms: performance.now() - start }
}

/** Row counts of every table, as one comparable string. */
async function snapshot(): Promise<string> {
  const counts = await Promise.all(tables.map(async (t) => `${t}=${(await db.query(`SELECT count(*)::int AS n FROM "${t}"`)).rows[0].n}`))
  return counts.join(' ')
}

const valid: Record<string, { method: string; path: string; body: Record<string, unknown> }> = {
  publish: {
    method: 'POST',
    path: '/api/contracts',
    body: { consumer: 'fuzz-consumer', version: '2.0.0', contracts: [contractDoc('fuzz-consumer', 'fuzz-provider')] },
  },
  verification: {
    method: 'POST',
    path: '/api/verifications',
    body: {
      provider: 'fuzz-provider',
      providerVersion: '1.0.0',
      consumer: 'fuzz-consumer',
      contentHash: 'sha256:0',
      success: true,
      results: [],
    },
  },
  schemas: { method: 'POST', path: '/api/providers/fuzz-provider/schemas', body: { providerVersion: '1.0.0', producers: [] } },
  deployment: { method: 'POST', path: '/api/environments/fuzz-env/deployments', body: { service: 'fuzz-consumer', version: '1.0.0' } },
  environment: { method: 'PUT', path: '/api/environments/fuzz-env-2', body: {} },
  service: { method: 'PATCH', path: '/api/services/fuzz-consumer', body: { mainBranch: 'main' } },
  version: { method: 'PUT', path: '/api/services/fuzz-consumer/versions/9.0.0', body: { branch: 'main' } },
  webhook: { method: 'POST', path: '/api/webhooks', body: { url: 'http://127.0.0.1:9/hook', events: ['contract_published'] } },
  forVerification: { method: 'POST', path: '/api/providers/fuzz-provider/contracts-for-verification', body: {} },
}

/** Arbitrary JSON, or a valid body with one top-level field replaced (or added) with arbitrary JSON. */
function bodies(base: Record<string, unknown>) {
  const keys = [...Object.keys(base), 'extra']
  return fc.oneof(
    fc.jsonValue({ maxDepth: 4 }),
    fc.record({ key: fc.constantFrom(...keys), value: fc.jsonValue({ maxDepth: 4 }) }).map(({ key, value }) => ({ ...base, [key]: value })),
  )
}

describe('fuzzing every write route', () => {
  it.each(Object.entries(valid))(
    '%s: never a 5xx, never over a second, nothing stored on a 4xx',
    async (_name, route) => {
      await fc.assert(
        fc.asyncProperty(bodies(route.body), async (body) => {
          const before = await snapshot()
          const res = await send(route.method, route.path, body)
          expect(res.status).toBeLessThan(500)
          expect(res.ms).toBeLessThan(1000)
          if (res.status >= 400) expect(await snapshot()).toBe(before)
        }),
        { numRuns: 40, seed: 13 },
      )
    },
    600_000,
  )
})
