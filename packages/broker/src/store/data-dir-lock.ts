/**
 * PGlite happily opens one data directory from two processes (or twice in one), and two PostgreSQL engines
 * writing the same files corrupt them. A lock file beside the directory (`<dir>.lock`, holding the owner's
 * pid) makes the second broker fail fast instead. A lock left by a killed broker is taken over.
 */
import { mkdir, open, readFile, unlink } from 'node:fs/promises'
import { dirname } from 'node:path'
import { BrokerError, BrokerErrorCodes } from '../errors.js'

/** Lock files this process holds: a second open in the same process is as dangerous as one in another. */
const heldHere = new Set<string>()

export interface DataDirLock {
  release(): Promise<void>
}

export async function lockDataDir(dataDir: string): Promise<DataDirLock> {
  const file = `${dataDir}.lock`
  await mkdir(dirname(file), { recursive: true })
  for (let attempt = 0; attempt < 3; attempt++) {
    if (heldHere.has(file)) throw locked(dataDir, process.pid)
    try {
      const handle = await open(file, 'wx')
      await handle.writeFile(`${process.pid}\n`)
      await handle.close()
      heldHere.add(file)
      return {
        async release() {
          heldHere.delete(file)
          await unlink(file).catch(() => {})
        },
      }
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err
      const owner = Number.parseInt(await readFile(file, 'utf8').catch(() => ''), 10)
      if (Number.isInteger(owner) && owner > 0 && owner !== process.pid && isAlive(owner)) throw locked(dataDir, owner)
      // The owner is gone (killed, crashed): its lock protects nothing any more.
      await unlink(file).catch(() => {})
    }
  }
  throw locked(dataDir, undefined)
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (err) {
    // EPERM: the process exists but belongs to someone else.
    return (err as NodeJS.ErrnoException).code === 'EPERM'
  }
}

function locked(dataDir: string, pid: number | undefined): BrokerError {
  return new BrokerError(
    BrokerErrorCodes.DATA_DIR_LOCKED,
    `data directory ${dataDir} is in use by another broker${pid ? ` (pid ${pid})` : ''}; stop it, or give this one its own TREATY_DATA_DIR`,
  )
}
