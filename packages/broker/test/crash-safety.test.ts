// A broker killed with SIGKILL in the middle of a stream of publishes must leave no half-published contract
// set behind, and lose nothing it acknowledged, on the embedded store and on PostgreSQL.
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { ensureBrokerBuilt, spawnBroker } from '@treaty/test-support'
import { startPostgres, type ThrowawayPostgres } from '@treaty/test-support/postgres'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openStore, type Store } from '../src/store/store.js'
import { contractDoc } from './support/fixtures.js'

const CONSUMER = 'crash-worker'
const PROVIDERS = ['api-1', 'api-2', 'api-3', 'api-4', 'api-5']
/** Many expectations per contract: bigger transactions, so the kill is likely to land inside one. */
const CHANNELS = Array.from({ length: 40 }, (_, i) => `pdf.event.${i}`)

interface StreamOutcome {
  acknowledged: Set<string>
  attempted: number
  inFlightAtKill: number
}

/** Publishes versions from 4 concurrent loops until `ackedBeforeKill` are acknowledged, then SIGKILLs the broker. */
async function publishThenKill(env: Record<string, string>, ackedBeforeKill: number): Promise<StreamOutcome> {
  const broker = await spawnBroker(env)
  const acknowledged = new Set<string>()
  let attempted = 0
  let inFlight = 0
  let killed = false
  const loop = async () => {
    while (!killed) {
      const version = `1.0.${attempted++}`
      const contracts = PROVIDERS.map((p, i) => contractDoc(CONSUMER, p, { variant: attempted * 10 + i, channels: CHANNELS }))
      inFlight++
      try {
        const res = await fetch(`${broker.url}/api/contracts`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ consumer: CONSUMER, version, branch: 'main', contracts }),
        })
        if (res.status === 201) acknowledged.add(version)
        else if (!killed) throw new Error(`unexpected ${res.status}: ${await res.text()}`)
      } catch (err) {
        if (!killed) throw err
      } finally {
        inFlight--
      }
    }
  }
  const loops = Array.from({ length: 4 }, loop)
  const deadline = Date.now() + 60_000
  while (acknowledged.size < ackedBeforeKill && Date.now() < deadline) await new Promise((r) => setTimeout(r, 5))
  // Land the kill at a moment unrelated to request boundaries.
  await new Promise((r) => setTimeout(r, Math.random() * 20))
  const inFlightAtKill = inFlight
  killed = true
  expect(await broker.kill('SIGKILL')).toBe('SIGKILL')
  await Promise.all(loops)
  return { acknowledged, attempted, inFlightAtKill }
}

async function expectNoHalfPublishedSet(store: Store, outcome: StreamOutcome): Promise<void> {
  const versions = await store.db.query<{ version: string; publications: number }>(
    `SELECT v.version, (SELECT count(*) FROM publications p WHERE p.consumer_version_id = v.id) AS publications
       FROM service_versions v JOIN services s ON s.id = v.service_id WHERE s.name = $1`,
    [CONSUMER],
  )
  // Every version that exists has its whole contract set: all five or (the version would not exist) none.
  expect(versions.filter((v) => v.publications !== PROVIDERS.length)).toEqual([])
  // Nothing acknowledged was lost.
  const present = new Set(versions.map((v) => v.version))
  expect([...outcome.acknowledged].filter((v) => !present.has(v))).toEqual([])
  // No content without the publication that brought it.
  const orphans = await store.db.query(
    'SELECT hash FROM contents c WHERE NOT EXISTS (SELECT 1 FROM publications p WHERE p.content_hash = c.hash)',
  )
  expect(orphans).toEqual([])
  // The kill really interrupted work: requests were in flight, and some never got an answer.
  expect(outcome.inFlightAtKill).toBeGreaterThan(0)
  expect(outcome.attempted).toBeGreaterThan(outcome.acknowledged.size)
}

beforeAll(() => {
  ensureBrokerBuilt()
})

// A broker's first start on PGlite took 87 s on the shared machine under load; spawnBroker allows 180 s, so must each test.
describe('SIGKILL during a stream of publishes', { timeout: 400_000 }, () => {
  let dir: string
  let server: ThrowawayPostgres | undefined

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'treaty-crash-'))
  })
  afterAll(async () => {
    await server?.stop()
    await rm(dir, { recursive: true, force: true })
  })

  it('leaves the embedded store (PGlite) with whole contract sets only, and it starts again', async () => {
    const dataDir = join(dir, 'pglite')
    const outcome = await publishThenKill({ TREATY_DATA_DIR: dataDir }, 15)
    // The killed broker's lock file is stale now; the store recovers like PostgreSQL after a crash.
    const store = await openStore({ dataDir })
    try {
      await expectNoHalfPublishedSet(store, outcome)
    } finally {
      await store.close()
    }
    const again = await spawnBroker({ TREATY_DATA_DIR: dataDir })
    expect((await fetch(`${again.url}/readyz`)).status).toBe(200)
    expect(await again.kill('SIGTERM')).toBe(0)
  })

  it('leaves PostgreSQL with whole contract sets only', async () => {
    server = await startPostgres()
    const databaseUrl = await server.createDatabase(`treaty_crash_${process.pid}`)
    const outcome = await publishThenKill({ DATABASE_URL: databaseUrl }, 30)
    const store = await openStore({ databaseUrl })
    try {
      await expectNoHalfPublishedSet(store, outcome)
    } finally {
      await store.close()
    }
  })
})
