/** Temp dirs for tests: one per server or project, removed by the test that made it. */
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

export interface TempDir {
  path: string
  /** A path inside the dir. */
  join(...parts: string[]): string
  remove(): Promise<void>
  /** Runs `start`; when it fails, removes the dir (a server that never came up leaves nothing behind) and rethrows. */
  removedIfFails(start: () => Promise<void>): Promise<void>
}

export async function tempDir(prefix: string): Promise<TempDir> {
  const path = await mkdtemp(join(tmpdir(), `${prefix}-`))
  const remove = () => rm(path, { recursive: true, force: true })
  return {
    path,
    join: (...parts) => join(path, ...parts),
    remove,
    async removedIfFails(start) {
      try {
        await start()
      } catch (error) {
        await remove()
        throw error
      }
    },
  }
}
