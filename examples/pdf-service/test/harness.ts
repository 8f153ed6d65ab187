/**
 * Test harness: builds the example, brings up the infra in a temp state dir, runs the services as
 * child processes (each in its own process group, logs to files), and stops everything it started
 * by PID. Tests import the same infra functions as the `pdf-infra` CLI.
 */
import { type ChildProcess, spawn } from 'node:child_process'
import { chmodSync, closeSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import { fileURLToPath } from 'node:url'
import { jetstreamManager } from '@nats-io/jetstream'
import { buildProject } from '@treaty/test-support'
import { FailoverPool } from '../src/db/failover-pool.js'
import { down, up } from '../src/infra/infra.js'
import { withNats } from '../src/infra/nats-cluster.js'
import { freePorts, isAlive, waitFor } from '../src/infra/processes.js'
import { connectionEnv, type InfraState } from '../src/infra/state.js'
import { createLogger } from '../src/log.js'
import { API_CONSUMER, EVENTS_STREAM, REQUESTS_STREAM, WORKER_CONSUMER } from '../src/nats/topology.js'

export const EXAMPLE_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '..')

/** Services run from dist/: compile first (one build at a time across test files). */
export async function ensureBuilt(): Promise<void> {
  buildProject('examples/pdf-service/tsconfig.json')
}

export type ServiceKind = 'api' | 'worker' | 'autoscaler'

export interface Service {
  kind: ServiceKind
  child: ChildProcess
  pid: number
  logFile: string
}

export interface TestSystem {
  state: InfraState
  dir: string
  env: Record<string, string>
  apiUrl: string
  services: Service[]
  db: FailoverPool
  start(kind: ServiceKind, env?: Record<string, string>): Promise<Service>
  stop(service: Service): Promise<void>
  close(): Promise<void>
}

export interface SystemOptions {
  replicas?: number
  env?: Record<string, string>
}

export async function startSystem(options: SystemOptions = {}): Promise<TestSystem> {
  await ensureBuilt()
  const dir = mkdtempSync(join(tmpdir(), 'pdf-service-test-'))
  chmodSync(dir, 0o755) // PostgreSQL runs as the postgres user and must reach its data dirs
  const stateDir = join(dir, 'infra')
  let state: InfraState
  try {
    state = await up({ stateDir, replicas: options.replicas ?? 3 })
  } catch (error) {
    await down({ stateDir, keepData: true }).catch(() => undefined)
    if (!process.env.PDF_TEST_KEEP) rmSync(dir, { recursive: true, force: true })
    throw error
  }
  const [apiPort] = await freePorts(1)
  const env: Record<string, string> = {
    ...connectionEnv(state),
    PDF_INFRA_DIR: stateDir,
    PORT: String(apiPort),
    LOG_LEVEL: 'info',
    ...options.env,
  }
  const services: Service[] = []
  const db = new FailoverPool(env.DATABASE_URL!, { log: createLogger('pdf-test', { level: 'silent' }), retryForMs: 30_000 })
  const counters: Record<string, number> = {}
  const system: TestSystem = {
    state,
    dir,
    env,
    apiUrl: `http://127.0.0.1:${apiPort}`,
    services,
    db,
    async start(kind, extraEnv = {}) {
      counters[kind] = (counters[kind] ?? 0) + 1
      const logFile = join(dir, `${kind}-${counters[kind]}.log`)
      const fd = openSync(logFile, 'a')
      // detached: the service leads its own process group, so its workers (autoscaler) stop with it.
      const child = spawn(process.execPath, [join(EXAMPLE_DIR, 'dist', kind, 'main.js')], {
        env: { ...process.env, ...env, ...extraEnv },
        stdio: ['ignore', fd, fd],
        detached: true,
      })
      closeSync(fd)
      if (!child.pid) throw new Error(`could not start ${kind}`)
      const service = { kind, child, pid: child.pid, logFile }
      services.push(service)
      // The api is ready when /readyz says so; the others say it in their log (at info).
      const readyLine = kind === 'worker' ? 'pdf-worker ready' : 'pdf-autoscaler ready'
      await waitFor(
        `${kind} to be ready (log ${logFile})`,
        async () => {
          if (child.exitCode !== null)
            throw new Error(`${kind} exited with ${child.exitCode}: ${readFileSync(logFile, 'utf8').slice(-2000)}`)
          if (kind !== 'api') return readFileSync(logFile, 'utf8').includes(readyLine)
          return (await fetch(`${system.apiUrl}/readyz`).catch(() => null))?.status === 200
        },
        60_000,
        50,
      )
      return service
    },
    async stop(service) {
      await stopGroup(service.pid)
    },
    async close() {
      for (const service of [...services].reverse()) await stopGroup(service.pid)
      await db.close()
      await down({ stateDir, keepData: true })
      if (!process.env.PDF_TEST_KEEP) rmSync(dir, { recursive: true, force: true })
    },
  }
  return system
}

/** SIGTERM to the process group the service leads, SIGKILL if it lingers. By id, never by name. */
async function stopGroup(pid: number): Promise<void> {
  const signalGroup = (signal: NodeJS.Signals) => {
    try {
      process.kill(-pid, signal)
    } catch {
      // already gone
    }
  }
  if (!isAlive(pid)) {
    signalGroup('SIGKILL') // orphaned children of a dead leader
    return
  }
  signalGroup('SIGTERM')
  const deadline = Date.now() + 10_000
  while (isAlive(pid) && Date.now() < deadline) await sleep(50)
  signalGroup('SIGKILL')
}

export interface PdfRequestBody {
  documentType: 'invoice' | 'report'
  title: string
  items: { sku: string; qty: number; price: number }[]
}

export function sampleBody(index: number, items = 3): PdfRequestBody {
  return {
    documentType: index % 2 === 0 ? 'invoice' : 'report',
    title: `Document ${index}`,
    items: Array.from({ length: items }, (_, item) => ({ sku: `SKU-${index}-${item}`, qty: (item % 5) + 1, price: 9.99 + item })),
  }
}

export async function submit(
  apiUrl: string,
  body: unknown,
  correlationId?: string,
): Promise<{ status: number; jobId?: string; body: unknown }> {
  const response = await fetch(`${apiUrl}/pdfs`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(correlationId ? { 'x-correlation-id': correlationId } : {}) },
    body: JSON.stringify(body),
  })
  const json = (await response.json()) as { jobId?: string }
  return { status: response.status, jobId: json.jobId, body: json }
}

export interface JobStatusView {
  status: string
  failureReason: string | null
  pdf: { pages: number; bytes: number; sha256: string } | null
}

export async function jobStatus(apiUrl: string, jobId: string, correlationId?: string): Promise<JobStatusView> {
  const response = await fetch(`${apiUrl}/pdfs/${jobId}`, { headers: correlationId ? { 'x-correlation-id': correlationId } : {} })
  if (response.status !== 200) throw new Error(`GET /pdfs/${jobId} -> ${response.status}`)
  return (await response.json()) as JobStatusView
}

/** Polls GET /pdfs/:id (with the job's correlation id when given, as a client following its job would). */
export async function waitForStatus(apiUrl: string, jobId: string, status: string, timeoutMs = 60_000, correlationId?: string) {
  return waitFor(
    `job ${jobId} to be ${status}`,
    async () => {
      const job = await jobStatus(apiUrl, jobId, correlationId)
      return job.status === status ? job : null
    },
    timeoutMs,
    100,
  )
}

export interface LogLine {
  level: number
  msg: string
  service: string
  correlationId?: string
  jobId?: string
  [key: string]: unknown
}

/** JSON log lines of a service's log file (a line that is not JSON fails the test: services log only through pino). */
export function readLog(file: string): { raw: string; line: LogLine }[] {
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((raw) => raw.trim().length > 0)
    .map((raw) => {
      try {
        return { raw, line: JSON.parse(raw) as LogLine }
      } catch {
        throw new Error(`not a JSON log line in ${file}: ${raw}`)
      }
    })
}

export interface QueueState {
  requestsInStream: number
  worker: { pending: number; ackPending: number; redelivered: number }
  api: { pending: number; ackPending: number; redelivered: number }
}

export async function queueState(state: InfraState): Promise<QueueState> {
  return withNats(state, async (nc) => {
    const jsm = await jetstreamManager(nc, { timeout: 5_000 })
    const stream = await jsm.streams.info(REQUESTS_STREAM)
    const worker = await jsm.consumers.info(REQUESTS_STREAM, WORKER_CONSUMER)
    const api = await jsm.consumers.info(EVENTS_STREAM, API_CONSUMER)
    return {
      requestsInStream: stream.state.messages,
      worker: { pending: worker.num_pending, ackPending: worker.num_ack_pending, redelivered: worker.num_redelivered },
      api: { pending: api.num_pending, ackPending: api.num_ack_pending, redelivered: api.num_redelivered },
    }
  })
}

export function isQuiet(queue: QueueState): boolean {
  return (
    queue.requestsInStream === 0 &&
    queue.worker.pending === 0 &&
    queue.worker.ackPending === 0 &&
    queue.api.pending === 0 &&
    queue.api.ackPending === 0
  )
}

/** Runs `task` for each item with at most `concurrency` at once. */
export async function parallel<T>(items: T[], concurrency: number, task: (item: T, index: number) => Promise<void>): Promise<void> {
  let next = 0
  await Promise.all(
    Array.from({ length: Math.min(concurrency, items.length) }, async () => {
      while (next < items.length) {
        const index = next++
        await task(items[index]!, index)
      }
    }),
  )
}
