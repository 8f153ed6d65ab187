/**
 * PGlite happily opens one data directory from two processes (or twice in one), and two PostgreSQL engines
 * writing the same files corrupt them. The broker holds an exclusive `flock(2)` on a file beside the directory
 * (`<dir>.lock`) for its whole life. The kernel owns that lock: it holds across PID namespaces (two containers
 * sharing a volume, both pid 1), and it is released when the holder dies, however it dies, so there is no
 * stale-lock takeover to race. The file is never removed: unlinking it would let a newcomer lock a fresh
 * inode while another process still waits on the old one. The pid written into it is for people only.
 */
import { closeSync, ftruncateSync, openSync, readFileSync, writeSync } from 'node:fs'
import { mkdir } from 'node:fs/promises'
import { createRequire } from 'node:module'
import { dirname } from 'node:path'
import { BrokerError, BrokerErrorCodes } from '../errors.js'

interface FsExt {
  flockSync(fd: number, flags: 'exnb' | 'un'): void
}
// fs-ext is a CommonJS native addon without types; flock is all the broker needs from it.
const { flockSync } = createRequire(import.meta.url)('fs-ext') as FsExt

export interface DataDirLock {
  release(): Promise<void>
}

export async function lockDataDir(dataDir: string): Promise<DataDirLock> {
  const file = `${dataDir}.lock`
  await mkdir(dirname(file), { recursive: true })
  const fd = openSync(file, 'a+', 0o644)
  try {
    flockSync(fd, 'exnb')
  } catch (err) {
    closeSync(fd)
    const code = (err as NodeJS.ErrnoException).code
    if (code === 'EWOULDBLOCK' || code === 'EAGAIN') throw locked(dataDir, ownerOf(file))
    throw err
  }
  ftruncateSync(fd, 0)
  writeSync(fd, `${process.pid}\n`, 0)
  let held = true
  return {
    async release() {
      if (!held) return
      held = false
      ftruncateSync(fd, 0)
      // Closing the last descriptor releases the lock; unlocking first makes the order explicit.
      flockSync(fd, 'un')
      closeSync(fd)
    },
  }
}

/** The pid the holder wrote (in its own PID namespace, which may not be ours), for the message only. */
function ownerOf(file: string): string | undefined {
  try {
    const text = readFileSync(file, 'utf8').trim()
    return /^\d+$/.test(text) ? text : undefined
  } catch {
    return undefined
  }
}

function locked(dataDir: string, pid: string | undefined): BrokerError {
  return new BrokerError(
    BrokerErrorCodes.DATA_DIR_LOCKED,
    `data directory ${dataDir} is in use by another broker${pid ? ` (pid ${pid}, as that broker sees it)` : ''}; stop it, or give this one its own TREATY_DATA_DIR`,
  )
}
