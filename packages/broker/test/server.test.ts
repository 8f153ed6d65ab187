// The broker process itself: start-up output, configuration errors, the data directory lock, and a graceful
// SIGTERM that finishes the requests in flight before closing the store.
import { spawnSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { BROKER_DIR, ensureBrokerBuilt, spawnBroker } from '@treaty/test-support'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { BrokerErrorCodes } from '../src/errors.js'
import { openStore } from '../src/store/store.js'
import { contractDoc } from './support/fixtures.js'

let dir: string

beforeAll(async () => {
  ensureBrokerBuilt()
  dir = await mkdtemp(join(tmpdir(), 'treaty-server-'))
})

afterAll(async () => {
  await rm(dir, { recursive: true, force: true })
})

const server = join(BROKER_DIR, 'dist/server.js')
const run = (args: string[], env: Record<string, string> = {}) =>
  spawnSync(process.execPath, [server, ...args], { env: { ...process.env, ...env, DATABASE_URL: '' }, encoding: 'utf8', timeout: 60_000 })

// A broker's first start on PGlite took 87 s on the shared machine under load; spawnBroker allows 180 s, so must each test.
describe('the broker process', { timeout: 400_000 }, () => {
  it('prints its URL and storage, serves, and on SIGTERM finishes requests in flight, closes the store, exits 0', async () => {
    const dataDir = join(dir, 'graceful')
    const broker = await spawnBroker({ TREATY_DATA_DIR: dataDir })
    expect(broker.output()).toMatch(/^Treaty broker listening on http:\/\/127\.0\.0\.1:\d+ \(embedded PGlite\)$/m)
    expect(existsSync(`${dataDir}.lock`)).toBe(true)

    const publishes = Array.from({ length: 12 }, (_, i) =>
      fetch(`${broker.url}/api/contracts`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ consumer: 'worker', version: `1.${i}.0`, contracts: [contractDoc('worker', 'api', { variant: i })] }),
      }).then(
        async (res) => ({ status: res.status, body: (await res.json()) as { error?: { code: string } } }),
        (err: Error) => ({ status: 0, body: { error: { code: String((err.cause as { code?: string })?.code ?? err.message) } } }),
      ),
    )
    await new Promise((r) => setTimeout(r, 30))
    const exit = broker.kill('SIGTERM')
    const results = await Promise.all(publishes)
    expect(await exit).toBe(0)

    // Each request either completed, or was turned away whole: never a 500 or a cut-off answer.
    for (const r of results) {
      if (r.status === 201) continue
      if (r.status === 503) expect(r.body.error?.code).toBe(BrokerErrorCodes.SHUTTING_DOWN)
      else expect(r.status, JSON.stringify(r)).toBe(0)
    }
    // The lock file itself stays (a flock is never unlinked: that would race a waiting broker); the kernel
    // released the lock with the process, which opening the store below proves.
    const acknowledged = results.flatMap((r, i) => (r.status === 201 ? [`1.${i}.0`] : []))
    const store = await openStore({ dataDir })
    try {
      const rows = await store.db.query<{ version: string }>(
        'SELECT version FROM service_versions v JOIN services s ON s.id = v.service_id WHERE s.name = $1',
        ['worker'],
      )
      expect(rows.map((r) => r.version)).toEqual(expect.arrayContaining(acknowledged))
    } finally {
      await store.close()
    }
  })

  it('refuses a data directory another broker holds', async () => {
    // Any data directory will do; reopening the one above skips a second initdb.
    const dataDir = join(dir, 'graceful')
    const first = await spawnBroker({ TREATY_DATA_DIR: dataDir })
    try {
      const second = run([], { TREATY_DATA_DIR: dataDir, PORT: '0' })
      expect(second.status).toBe(1)
      expect(second.stderr).toContain(BrokerErrorCodes.DATA_DIR_LOCKED)
      expect(second.stderr).toContain(`pid ${first.pid}`)
    } finally {
      await first.kill('SIGTERM')
    }
  })

  it('says so in one line when its port is taken', async () => {
    const first = await spawnBroker({ TREATY_DATA_DIR: join(dir, 'graceful') })
    try {
      const port = new URL(first.url).port
      const second = run([], { TREATY_DATA_DIR: join(dir, 'other'), PORT: port })
      expect(second.status).toBe(1)
      expect(second.stderr).toContain('EADDRINUSE')
      expect(second.stderr).toContain('set PORT')
      expect(second.stderr).not.toMatch(/\n\s+at /)
    } finally {
      await first.kill('SIGTERM')
    }
  })

  it('explains bad configuration and prints usage on --help', () => {
    const bad = run([], { PORT: 'eighty' })
    expect(bad.status).toBe(1)
    expect(bad.stderr).toContain(`${BrokerErrorCodes.CONFIG_INVALID}: PORT must be a whole number`)
    const help = run(['--help'])
    expect(help.status).toBe(0)
    expect(help.stdout).toContain('TREATY_DATA_DIR')
    expect(help.stdout).toContain('DATABASE_URL')
  })
})
