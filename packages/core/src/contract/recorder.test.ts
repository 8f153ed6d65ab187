import { mkdir, mkdtemp, readdir, rm, utimes, writeFile } from 'node:fs/promises'
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
