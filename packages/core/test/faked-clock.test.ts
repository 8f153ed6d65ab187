// A consumer test that fakes the clock (vi.setSystemTime, vi.useFakeTimers) and leaves it faked: the contract
// is still written at the end of the file, and the lock between workers still tells a live holder from a dead
// one. Its age is the real time since it was taken, not the test's idea of now.
import { mkdir, readFile, rm, stat, utimes, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { coreSource, runVitest, workDir } from './run-vitest.js'

const testFile = (fakeClock: string) => `
import { test, vi } from 'vitest'
import { messageContract } from ${JSON.stringify(coreSource)}
const api = messageContract({ consumer: 'worker', provider: 'api', dir: 'contracts' })
test('proves e1 with a faked clock', async () => {
  ${fakeClock}
  await api.expects('e1').on('c.e1').withPayload({ n: 1 }).verify(() => {})
})
`

describe('a consumer test that fakes the clock', { timeout: 120_000 }, () => {
  let dir: string | undefined
  afterEach(async () => {
    if (dir) await rm(dir, { recursive: true, force: true })
  })
  const lockIn = async (root: string) => {
    const fragments = join(root, 'contracts/.treaty/worker--api')
    await mkdir(fragments, { recursive: true })
    const lock = join(fragments, '.lock')
    await writeFile(lock, 'another worker')
    return lock
  }

  for (const fakeClock of ["vi.setSystemTime(new Date('2020-01-01'))", "vi.useFakeTimers({ now: new Date('2020-01-01') })"]) {
    it(`still breaks a lock a dead worker left (${fakeClock})`, async () => {
      dir = await workDir('faked-clock')
      await writeFile(join(dir, 'a.test.ts'), testFile(fakeClock))
      const lock = await lockIn(dir)
      const minuteAgo = new Date(Date.now() - 60_000)
      await utimes(lock, minuteAgo, minuteAgo)
      const run = await runVitest(dir, [], { timeoutMs: 60_000 })
      expect(run.code, run.output).toBe(0)
      const contract = JSON.parse(await readFile(join(dir, 'contracts/worker--api.json'), 'utf8'))
      expect(contract.expectations.map((e: { description: string }) => e.description)).toEqual(['e1'])
    })
  }

  it('never breaks the lock of a live worker, even with the clock set years ahead', async () => {
    dir = await workDir('faked-clock')
    await writeFile(join(dir, 'a.test.ts'), testFile("vi.setSystemTime(new Date('2040-01-01'))"))
    const lock = await lockIn(dir)
    // The holder is alive: it keeps its lock fresh until it lets go, once the run has had time to reach its flush.
    const touching = setInterval(() => {
      const now = new Date()
      void utimes(lock, now, now).catch(() => {})
    }, 500)
    const released = new Promise<{ intact: boolean; at: number }>((done) =>
      setTimeout(async () => {
        clearInterval(touching)
        const intact = (await readFile(lock, 'utf8').catch(() => '')) === 'another worker'
        await rm(lock, { force: true })
        done({ intact, at: Date.now() })
      }, 8_000),
    )
    const run = await runVitest(dir, [], { timeoutMs: 60_000 })
    const { intact, at } = await released
    expect(run.code, run.output).toBe(0)
    expect(intact, 'the live lock was broken').toBe(true)
    expect((await stat(join(dir, 'contracts/worker--api.json'))).mtimeMs).toBeGreaterThanOrEqual(at - 50)
  })
})
