import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { BrokerErrorCodes } from '../errors.js'
import { lockDataDir } from './data-dir-lock.js'

describe('lockDataDir', () => {
  let root: string
  beforeEach(async () => {
    root = await mkdtemp(join(tmpdir(), 'treaty-lock-'))
  })
  afterEach(async () => {
    await rm(root, { recursive: true, force: true })
  })

  it('lets one holder in at a time, and the next in after release', async () => {
    const dir = join(root, 'data')
    const lock = await lockDataDir(dir)
    expect(await readFile(`${dir}.lock`, 'utf8')).toBe(`${process.pid}\n`)
    await expect(lockDataDir(dir)).rejects.toMatchObject({ code: BrokerErrorCodes.DATA_DIR_LOCKED })
    await lock.release()
    const again = await lockDataDir(dir)
    await again.release()
  })

  it('refuses a directory held by another live process', async () => {
    const dir = join(root, 'data')
    // PID 1 is always alive.
    await writeFile(`${dir}.lock`, '1\n')
    await expect(lockDataDir(dir)).rejects.toThrow(/pid 1/)
  })

  it('takes over a lock left by a process that died', async () => {
    const dir = join(root, 'data')
    await writeFile(`${dir}.lock`, '2147483646\n')
    const lock = await lockDataDir(dir)
    expect(await readFile(`${dir}.lock`, 'utf8')).toBe(`${process.pid}\n`)
    await lock.release()
  })
})
