/**
 * The Treaty broker as a real process, for what only a process shows: SIGKILL in the middle of writes, two
 * instances on one database, a CLI or an observer whose broker goes away. `node dist/server.js` configured by
 * environment, or `treaty broker` with flags (what a user runs).
 */
import { afterAll, beforeAll } from 'vitest'
import { buildProject } from './build.js'
import { BROKER_SERVER, REPO_ROOT, TREATY_BIN } from './paths.js'
import { freePort } from './ports.mjs'
import { startProcess, type TestProcess } from './process.js'
import { type TempDir, tempDir } from './temp.js'

/** Builds the broker (and what it depends on) if its sources changed, so a test never runs a stale dist/server.js. */
export function ensureBrokerBuilt(): void {
  buildProject('packages/broker')
}

/** PGlite's first start (WASM compile, migrations) has taken over a minute on a loaded shared machine. */
const START_MS = 180_000
const LISTENING = /listening on (http:\/\/[^\s]+)/

export interface BrokerProcess extends TestProcess {
  url: string
}

/**
 * `node dist/server.js` with `env` on a free port (PGlite in memory unless TREATY_DATA_DIR or DATABASE_URL).
 * `wrapper` runs it under another command (e.g. `unshare -p -f` for its own PID namespace); the PID then is
 * the wrapper's, which must pass signals on.
 */
export async function spawnBroker(env: Record<string, string>, timeoutMs = START_MS, wrapper: string[] = []): Promise<BrokerProcess> {
  const [command, ...args] = [...wrapper, process.execPath, BROKER_SERVER]
  const p = await startProcess({
    name: 'broker',
    command: command!,
    args,
    cwd: REPO_ROOT,
    env: { ...process.env, PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'warn', DATABASE_URL: '', ...env },
    ready: LISTENING,
    timeoutMs,
  })
  return { ...p, url: p.ready }
}

export interface Broker {
  url: string
  /** The PGlite data dir (kept across `kill` and `start`). */
  dataDir: string
  process(): BrokerProcess
  /** Kills the broker by PID (default SIGKILL: a crash). */
  kill(signal?: NodeJS.Signals): Promise<void>
  /** Starts it again on the same port and data dir. */
  start(): Promise<void>
  /** SIGTERM, then removes the data dir. */
  stop(): Promise<void>
}

export interface BrokerOptions {
  env?: Record<string, string>
  /** `cli`: `treaty broker --port … --data-dir …` from the built CLI; default `node dist/server.js`. */
  via?: 'server' | 'cli'
  timeoutMs?: number
}

/** A broker on PGlite in a temp data dir and a fixed free port, so it can be killed and started again where it was. */
export async function startBroker(options: BrokerOptions = {}): Promise<Broker> {
  const dir = await tempDir('treaty-broker')
  const dataDir = dir.join('data')
  const port = await freePort()
  const env = { LOG_LEVEL: 'warn', ...options.env }
  let current: BrokerProcess | undefined
  const start = async () => {
    if (options.via === 'cli') {
      const p = await startProcess({
        name: 'treaty broker',
        command: process.execPath,
        args: [TREATY_BIN, 'broker', '--host', '127.0.0.1', '--port', String(port), '--data-dir', dataDir],
        env: { ...process.env, ...env },
        ready: LISTENING,
        timeoutMs: options.timeoutMs ?? START_MS,
      })
      current = { ...p, url: p.ready }
    } else {
      current = await spawnBroker({ PORT: String(port), TREATY_DATA_DIR: dataDir, ...env }, options.timeoutMs)
    }
  }
  await dir.removedIfFails(start)
  return {
    url: current!.url,
    dataDir,
    process: () => current!,
    async kill(signal = 'SIGKILL') {
      await current?.kill(signal)
    },
    start,
    async stop() {
      await current?.kill('SIGTERM')
      await dir.remove()
    },
  }
}

/**
 * One broker process for a test file, on a fresh temp directory removed afterwards: registers the file's
 * beforeAll/afterAll and returns a getter. `env(dir)` gives the environment (and may write files into `dir`).
 */
export function brokerForFile(prefix: string, env: (dir: string) => Record<string, string>): () => BrokerProcess {
  let dir: TempDir | undefined
  let broker: BrokerProcess | undefined
  beforeAll(async () => {
    ensureBrokerBuilt()
    dir = await tempDir(prefix.replace(/-$/, ''))
    broker = await spawnBroker({ TREATY_DATA_DIR: dir.join('data'), ...env(dir.path) }, 240_000)
  }, 300_000)
  afterAll(async () => {
    await broker?.kill('SIGTERM')
    await dir?.remove()
  }, 120_000)
  return () => broker!
}
