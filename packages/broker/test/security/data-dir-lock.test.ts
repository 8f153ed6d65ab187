// The embedded store's data-directory lock, against real processes: brokers in separate PID namespaces
// (containers sharing a volume, both pid 1), and eight processes racing for one directory, round after round.
import { spawn } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { BROKER_DIR, type BrokerProcess, ensureBrokerBuilt, spawnBroker } from '@treaty/test-support'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { BrokerErrorCodes } from '../../src/errors.js'

const root = mkdtempSync(join(tmpdir(), 'treaty-lock-security-'))
const started: BrokerProcess[] = []
const isRoot = process.getuid?.() === 0

beforeAll(() => ensureBrokerBuilt())
afterAll(async () => {
  // SIGKILL: `unshare --fork` ignores SIGTERM while it waits for its child; its death passes SIGTERM on to the
  // broker inside (--kill-child), which then shuts down by itself.
  await Promise.all(started.map((b) => b.kill('SIGKILL')))
  rmSync(root, { recursive: true, force: true })
}, 180_000)

// unshare needs root (CAP_SYS_ADMIN); --kill-child passes our SIGTERM on to the broker.
const inOwnPidNamespace = ['unshare', '--pid', '--fork', '--mount-proc', '--kill-child=SIGTERM']

describe.skipIf(!isRoot)('two brokers in different PID namespaces on one data directory', () => {
  it('the second refuses to start (TREATY_BROKER_DATA_DIR_LOCKED), though both are pid 1', async () => {
    const env = { TREATY_DATA_DIR: join(root, 'shared') }
    const first = await spawnBroker(env, 240_000, inOwnPidNamespace)
    started.push(first)
    const second = spawnBroker(env, 240_000, inOwnPidNamespace)
    await expect(second).rejects.toThrow(BrokerErrorCodes.DATA_DIR_LOCKED)
    expect((await fetch(`${first.url}/healthz`)).status).toBe(200)
  }, 600_000)
})

/**
 * One process: try the lock at `startAt` (shared clock, so all eight try at once), report, and a holder keeps
 * the lock until its stdin closes, which the test does once all eight have reported.
 */
const CONTENDER = `
const { lockDataDir } = await import(process.argv[1])
const [dir, startAt] = [process.argv[2], Number(process.argv[3])]
while (Date.now() < startAt) await new Promise((r) => setTimeout(r, 1))
try {
  const lock = await lockDataDir(dir)
  process.stdout.write('held')
  process.stdin.resume()
  await new Promise((r) => process.stdin.once('end', r))
  await lock.release()
} catch (err) {
  process.stdout.write(err.code ?? String(err))
}
`

async function race(dir: string, n: number): Promise<string[]> {
  const lockModule = join(BROKER_DIR, 'dist/store/data-dir-lock.js')
  // Node takes a while to start on a busy machine; all of them wait for the same instant.
  const startAt = Date.now() + 3000
  const children = Array.from({ length: n }, () =>
    spawn(process.execPath, ['--input-type=module', '-e', CONTENDER, lockModule, dir, String(startAt)], {
      stdio: ['pipe', 'pipe', 'inherit'],
    }),
  )
  const outcomes = await Promise.all(
    children.map(
      (child) =>
        new Promise<string>((resolve) => {
          child.stdout.once('data', (d: Buffer) => resolve(d.toString()))
          child.once('exit', () => resolve('exited without reporting'))
        }),
    ),
  )
  await Promise.all(
    children.map((child) => {
      const exited = new Promise((r) => child.once('exit', r))
      child.stdin.end()
      return child.exitCode === null ? exited : undefined
    }),
  )
  return outcomes
}

describe('eight processes racing for one data directory', () => {
  it('exactly one holds it in every round; the others get TREATY_BROKER_DATA_DIR_LOCKED', async () => {
    const rounds = 15
    for (let round = 0; round < rounds; round++) {
      const dir = join(root, `race-${round}`)
      // Left by a broker that was killed: a pid file lock raced here (read owner, unlink, create).
      writeFileSync(`${dir}.lock`, '2147483646\n')
      const outcomes = await race(dir, 8)
      expect({ round, held: outcomes.filter((o) => o === 'held').length }).toEqual({ round, held: 1 })
      expect(outcomes.filter((o) => o !== 'held')).toEqual(Array(7).fill(BrokerErrorCodes.DATA_DIR_LOCKED))
    }
  }, 600_000)
})
