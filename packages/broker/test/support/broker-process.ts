/**
 * Brokers as real processes (`node dist/server.js`), for what only a process can show: two instances on one
 * database, SIGKILL in the middle of writes, SIGTERM while requests are in flight.
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll } from 'vitest'

export const PACKAGE_DIR = fileURLToPath(new URL('../../', import.meta.url))
export const REPO_ROOT = join(PACKAGE_DIR, '../..')
const SERVER = join(PACKAGE_DIR, 'dist/server.js')

/**
 * Builds the broker (and what it depends on) if its sources changed, so a test never runs a stale
 * dist/server.js. `tsc -b` is a no-op when up to date. A lock directory keeps test files running in parallel
 * from building at the same time.
 */
export function ensureBuilt(): void {
  const lock = join(tmpdir(), 'treaty-broker-test-build.lock')
  const deadline = Date.now() + 180_000
  for (;;) {
    try {
      mkdirSync(lock)
      break
    } catch {
      const age = Date.now() - safeMtime(lock)
      // A lock older than any build is left by a killed test run.
      if (age > 180_000) rmSync(lock, { recursive: true, force: true })
      if (Date.now() > deadline) throw new Error('timed out waiting for another test file to build the broker')
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 200)
    }
  }
  try {
    const tsc = join(REPO_ROOT, 'node_modules/typescript/bin/tsc')
    const result = spawnSync(process.execPath, [tsc, '-b', 'packages/broker'], { cwd: REPO_ROOT, encoding: 'utf8' })
    if (result.status !== 0) throw new Error(`tsc -b packages/broker failed:\n${result.stdout}${result.stderr}`)
  } finally {
    rmSync(lock, { recursive: true, force: true })
  }
}

function safeMtime(path: string): number {
  try {
    return statSync(path).mtimeMs
  } catch {
    return Date.now()
  }
}

export interface BrokerProcess {
  url: string
  pid: number
  child: ChildProcess
  /** Everything the process wrote so far (stdout and stderr). */
  output(): string
  /** Resolves with the exit code (or signal name) once the process has exited. */
  exited: Promise<number | string>
  /** Sends a signal by PID and waits for the exit. */
  kill(signal: NodeJS.Signals): Promise<number | string>
}

/**
 * `wrapper` runs the broker under another command (e.g. `unshare -p -f` for its own PID namespace); the
 * PID then is the wrapper's, which must pass signals on.
 */
export async function spawnBroker(env: Record<string, string>, timeoutMs = 60_000, wrapper: string[] = []): Promise<BrokerProcess> {
  const [command, ...args] = [...wrapper, process.execPath, SERVER]
  const child = spawn(command!, args, {
    cwd: REPO_ROOT,
    env: { ...process.env, PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'warn', DATABASE_URL: '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let out = ''
  child.stdout!.on('data', (d: Buffer) => {
    out += d.toString()
  })
  child.stderr!.on('data', (d: Buffer) => {
    out += d.toString()
  })
  const exited = new Promise<number | string>((resolve) => child.once('exit', (code, signal) => resolve(code ?? signal ?? 'unknown')))
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`broker did not start in ${timeoutMs} ms:\n${out}`)), timeoutMs)
    const check = () => {
      const m = /listening on (http:\/\/[^\s]+)/.exec(out)
      if (m) {
        clearTimeout(timer)
        resolve(m[1]!)
      }
    }
    child.stdout!.on('data', check)
    void exited.then((code) => {
      clearTimeout(timer)
      reject(new Error(`broker exited (${code}) before listening:\n${out}`))
    })
  })
  return {
    url,
    pid: child.pid!,
    child,
    output: () => out,
    exited,
    async kill(signal) {
      if (child.exitCode === null && child.signalCode === null) process.kill(child.pid!, signal)
      return exited
    },
  }
}

/**
 * One broker process for a test file, on a fresh temp directory removed afterwards: registers the file's
 * beforeAll/afterAll and returns a getter. `env(dir)` gives the environment (and may write files into `dir`).
 */
export function brokerForFile(prefix: string, env: (dir: string) => Record<string, string>): () => BrokerProcess {
  const root = mkdtempSync(join(tmpdir(), prefix))
  let broker: BrokerProcess | undefined
  beforeAll(async () => {
    ensureBuilt()
    broker = await spawnBroker({ TREATY_DATA_DIR: join(root, 'data'), ...env(root) }, 240_000)
  }, 300_000)
  afterAll(async () => {
    await broker?.kill('SIGTERM')
    rmSync(root, { recursive: true, force: true })
  }, 120_000)
  return () => broker!
}
