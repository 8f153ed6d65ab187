import { spawn } from 'node:child_process'
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { BrokerErrorCodes } from '../errors.js'
import { lockDataDir } from './data-dir-lock.js'

/** A separate process holding an exclusive flock on `file` (util-linux flock) until it is killed. */
async function holdInAnotherProcess(file: string) {
  const child = spawn('flock', ['--no-fork', '--exclusive', '--nonblock', file, 'sleep', '600'], { stdio: 'ignore' })
  // flock takes the lock, then becomes sleep (--no-fork); give it a moment, then confirm it is still there.
  await new Promise((r) => setTimeout(r, 300))
  expect(child.exitCode).toBeNull()
  return child
}

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

  it('refuses a directory whose lock another process holds, and takes it once that process is killed', async () => {
    const dir = join(root, 'data')
    const holder = await holdInAnotherProcess(`${dir}.lock`)
    await expect(lockDataDir(dir)).rejects.toMatchObject({ code: BrokerErrorCodes.DATA_DIR_LOCKED })
    const exited = new Promise((r) => holder.once('exit', r))
    process.kill(holder.pid!, 'SIGKILL')
    await exited
    const lock = await lockDataDir(dir)
    await lock.release()
  })

  it('a pid left in the file by a dead broker (or one in another PID namespace) decides nothing: the kernel lock does', async () => {
    const dir = join(root, 'data')
    await writeFile(`${dir}.lock`, '1\n')
    const lock = await lockDataDir(dir)
    expect(await readFile(`${dir}.lock`, 'utf8')).toBe(`${process.pid}\n`)
    await lock.release()
  })
})
