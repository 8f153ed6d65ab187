/**
 * Tests that start a built entry point (`dist/server.js`, the example's services) build it first, so they
 * never run stale code. `tsc -b` is a no-op when up to date; a lock dir keeps test files running in parallel
 * (and several packages) from building at the same time.
 */
import { spawnSync } from 'node:child_process'
import { mkdirSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { REPO_ROOT } from './paths.js'

/** A lock older than any build was left by a killed test run. */
const STALE_MS = 180_000

/** `tsc -b project` (a path from the repository root), one build at a time across processes. */
export function buildProject(project: string): void {
  const lock = join(tmpdir(), 'treaty-test-build.lock')
  const deadline = Date.now() + STALE_MS
  for (;;) {
    try {
      mkdirSync(lock)
      break
    } catch {
      if (Date.now() - mtime(lock) > STALE_MS) rmSync(lock, { recursive: true, force: true })
      if (Date.now() > deadline) throw new Error(`timed out waiting for another test file to build (lock ${lock})`)
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 200)
    }
  }
  try {
    const tsc = join(REPO_ROOT, 'node_modules/typescript/bin/tsc')
    const result = spawnSync(process.execPath, [tsc, '-b', project], { cwd: REPO_ROOT, encoding: 'utf8' })
    if (result.status !== 0) throw new Error(`tsc -b ${project} failed:\n${result.stdout}${result.stderr}`)
  } finally {
    rmSync(lock, { recursive: true, force: true })
  }
}

function mtime(path: string): number {
  try {
    return statSync(path).mtimeMs
  } catch {
    return Date.now()
  }
}
