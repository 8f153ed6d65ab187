import { mkdir, mkdtemp, readdir, readFile, rm, stat, utimes, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { ErrorCodes } from '../errors.js'
import { ContractRecorder, proven } from './recorder.js'
import type { Expectation } from './types.js'

const dirs: string[] = []
afterEach(async () => {
  for (const dir of dirs.splice(0)) await rm(dir, { recursive: true, force: true })
})

async function recorder(lockTimeoutMs?: number) {
  const dir = await mkdtemp(join(tmpdir(), 'treaty-recorder-'))
  dirs.push(dir)
  const r = new ContractRecorder({ dir, consumer: 'pdf-worker', provider: 'pdf-api', ...(lockTimeoutMs ? { lockTimeoutMs } : {}) })
  const lock = join(r.fragmentDir, '.lock')
  await mkdir(r.fragmentDir, { recursive: true })
  return { r, lock, testFile: join(dir, 'a.test.ts') }
}

const expectation: Expectation = {
  description: 'a request',
  channel: 'pdf.requested',
  providerStates: [],
  payload: { schema: { type: 'string' }, example: 'x' },
}
const anHourAgo = () => new Date(Date.now() - 3_600_000)

describe('ContractRecorder lock', () => {
  it('waits for a lock another worker holds, and says which file to delete when it never comes free', async () => {
    const { r, lock, testFile } = await recorder(100)
    await writeFile(lock, '12345')
    r.prove(testFile, proven(expectation))
    await expect(r.flush(testFile, true)).rejects.toMatchObject({
      code: ErrorCodes.CONTRACT_LOCK_TIMEOUT,
      hint: expect.stringContaining(lock),
    })
  })

  it('goes on once the worker holding the lock lets go', async () => {
    const { r, lock, testFile } = await recorder(5_000)
    await writeFile(lock, String(process.pid))
    r.prove(testFile, proven(expectation))
    const flushed = r.flush(testFile, true)
    setTimeout(() => void rm(lock), 100)
    await flushed
    expect(await readdir(r.dir)).toContain('pdf-worker--pdf-api.json')
  })

  it('fails, replacing nothing, when the contract path is there but cannot be read as a file', async () => {
    const { r, testFile } = await recorder()
    await mkdir(join(r.dir, 'pdf-worker--pdf-api.json')) // something is there, but not a readable file
    r.prove(testFile, proven(expectation))
    await expect(r.flush(testFile, true)).rejects.toMatchObject({ code: 'EISDIR' })
    expect((await stat(join(r.dir, 'pdf-worker--pdf-api.json'))).isDirectory()).toBe(true)
  })

  it('breaks a lock left by a worker that died holding it, a file or the directory older versions made', async () => {
    for (const leftover of ['file', 'directory'] as const) {
      const { r, lock, testFile } = await recorder(2_000)
      if (leftover === 'file') await writeFile(lock, '12345')
      else {
        await mkdir(lock)
        await writeFile(join(lock, 'owner'), '12345')
      }
      await utimes(lock, anHourAgo(), anHourAgo())
      r.prove(testFile, proven(expectation))
      await r.flush(testFile, true)
      expect(await readdir(r.fragmentDir)).toHaveLength(1) // the fragment; no lock, no stale leftover
      expect(await readdir(r.dir)).toContain('pdf-worker--pdf-api.json')
    }
  })
})

describe('ContractRecorder with a moved checkout (fragments name test files that are no longer there)', () => {
  const other: Expectation = { ...expectation, description: 'another request' }

  /** A contract proven from `a.test.ts` and `sub/b.test.ts`, then `sub/` moved away, as a renamed checkout would. */
  async function moved() {
    const { r, testFile } = await recorder()
    const b = join(r.dir, 'sub', 'b.test.ts')
    await mkdir(join(r.dir, 'sub'))
    for (const [file, e] of [
      [testFile, expectation],
      [b, other],
    ] as const) {
      await writeFile(file, '')
      r.prove(file, proven(e))
      await r.flush(file, true)
    }
    await rm(join(r.dir, 'sub'), { recursive: true })
    return { r, testFile }
  }

  const described = async (r: ContractRecorder) =>
    (JSON.parse(await readFile(join(r.dir, 'pdf-worker--pdf-api.json'), 'utf8')) as { expectations: Expectation[] }).expectations
      .map((e) => e.description)
      .sort()

  it('keeps the expectations of a test file whose directory is gone when another file runs', async () => {
    const { r, testFile } = await moved()
    r.prove(testFile, proven(expectation))
    await r.flush(testFile, false)
    expect(await described(r)).toEqual(['a request', 'another request'])
  })

  it('keeps a deleted test file’s expectations until prune, and drops its fragment once live files declare them', async () => {
    const { r, testFile } = await recorder()
    await writeFile(testFile, '')
    const b = join(r.dir, 'b.test.ts')
    await writeFile(b, '')
    r.prove(b, proven(other))
    await r.flush(b, true)
    await rm(b)
    r.prove(testFile, proven(expectation))
    await r.flush(testFile, false)
    expect(await described(r)).toEqual(['a request', 'another request'])
    // Renamed: the new name declares what the old one did, and the old fragment goes.
    const renamed = join(r.dir, 'renamed.test.ts')
    await writeFile(renamed, '')
    r.prove(renamed, proven(other))
    await r.flush(renamed, true)
    expect((await r.prune(true)).deletedTestFiles).toEqual([])
    await rm(renamed)
    r.prove(testFile, proven(expectation))
    await r.flush(testFile, false)
    expect(await described(r)).toEqual(['a request', 'another request'])
    expect(await r.prune()).toMatchObject({ removed: ['another request'], deletedTestFiles: [renamed] })
    expect(await described(r)).toEqual(['a request'])
  })

  it('prune refuses, changing nothing, when no recorded test file is where its fragment says', async () => {
    const { r, testFile } = await moved()
    await rm(testFile)
    const before = await described(r)
    await expect(r.prune()).rejects.toMatchObject({ code: ErrorCodes.PRUNE_WITHOUT_FRAGMENTS })
    expect(await described(r)).toEqual(before)
  })
})
