/**
 * Benchmark: jobs/s and POST→done latency (p50/p99) with the streams replicated over three zones
 * (num_replicas 3) against a single replica (num_replicas 1), in the same run, on the same machine.
 * Each configuration gets a fresh infra (3 NATS nodes, PostgreSQL primary + synchronous standby),
 * one pdf-api and BENCH_WORKERS pdf-workers; a warm-up batch is not measured.
 *
 * BENCH_JOBS (400) BENCH_CONCURRENCY (16) BENCH_WORKERS (2) BENCH_WARMUP (40)
 */
import { type ChildProcess, spawn } from 'node:child_process'
import { chmodSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import { fileURLToPath } from 'node:url'
import { intEnv } from '../config.js'
import { FailoverPool } from '../db/failover-pool.js'
import { down, up } from '../infra/infra.js'
import { freePorts, stopPid, waitFor } from '../infra/processes.js'
import { connectionEnv } from '../infra/state.js'
import { createLogger } from '../log.js'

const JOBS = intEnv(process.env, 'BENCH_JOBS', 400, 1)
const CONCURRENCY = intEnv(process.env, 'BENCH_CONCURRENCY', 16, 1)
const WORKERS = intEnv(process.env, 'BENCH_WORKERS', 2, 1)
const WARMUP = intEnv(process.env, 'BENCH_WARMUP', 40, 0)
const dist = fileURLToPath(new URL('..', import.meta.url))

interface Result {
  replicas: number
  jobs: number
  seconds: number
  jobsPerSecond: number
  p50: number
  p99: number
  max: number
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!
}

function body(index: number) {
  return {
    documentType: index % 2 === 0 ? 'invoice' : 'report',
    title: `Bench ${index}`,
    items: Array.from({ length: 5 }, (_, item) => ({ sku: `B-${index}-${item}`, qty: item + 1, price: 4.2 })),
  }
}

async function submitAll(apiUrl: string, count: number, offset: number): Promise<Map<string, number>> {
  const startedAt = new Map<string, number>()
  let next = 0
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < count) {
        const index = next++
        const started = Date.now()
        const response = await fetch(`${apiUrl}/pdfs`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(body(offset + index)),
        })
        if (response.status !== 202) throw new Error(`POST /pdfs -> ${response.status} ${await response.text()}`)
        startedAt.set(((await response.json()) as { jobId: string }).jobId, started)
      }
    }),
  )
  return startedAt
}

async function doneTimes(db: FailoverPool, ids: string[]): Promise<Map<string, number>> {
  const { rows } = await db.query<{ id: string; done_at: Date }>(
    "SELECT id, done_at FROM jobs WHERE id = ANY($1::uuid[]) AND status = 'done'",
    [ids],
  )
  return new Map(rows.map((row) => [row.id, row.done_at.getTime()]))
}

async function runConfiguration(replicas: number): Promise<Result> {
  const dir = mkdtempSync(join(tmpdir(), `pdf-bench-r${replicas}-`))
  chmodSync(dir, 0o755)
  const stateDir = join(dir, 'infra')
  const children: ChildProcess[] = []
  const db = { pool: null as FailoverPool | null }
  try {
    const state = await up({ stateDir, replicas })
    const [port] = await freePorts(1)
    const env = {
      ...process.env,
      ...connectionEnv(state),
      PDF_INFRA_DIR: stateDir,
      PORT: String(port),
      LOG_LEVEL: 'warn',
      WORKER_CONCURRENCY: '4',
    }
    const start = (service: string) => {
      const child = spawn(process.execPath, [join(dist, service, 'main.js')], { env, stdio: ['ignore', 'ignore', 'inherit'] })
      children.push(child)
    }
    start('api')
    for (let index = 0; index < WORKERS; index++) start('worker')
    const apiUrl = `http://127.0.0.1:${port}`
    await waitFor('pdf-api', async () => (await fetch(`${apiUrl}/readyz`).catch(() => null))?.status === 200, 60_000)
    db.pool = new FailoverPool(env.DATABASE_URL, { log: createLogger('pdf-bench', { level: 'silent' }) })
    const pool = db.pool

    const settle = async (started: Map<string, number>) => {
      const ids = [...started.keys()]
      return waitFor(
        'every job done',
        async () => {
          const done = await doneTimes(pool, ids)
          return done.size === ids.length ? done : null
        },
        300_000,
        100,
      )
    }
    if (WARMUP > 0) await settle(await submitAll(apiUrl, WARMUP, 0))
    await sleep(500)

    const firstPost = Date.now()
    const started = await submitAll(apiUrl, JOBS, WARMUP)
    const done = await settle(started)
    const latencies = [...started].map(([id, at]) => done.get(id)! - at).sort((a, b) => a - b)
    const seconds = (Math.max(...done.values()) - firstPost) / 1_000
    return {
      replicas,
      jobs: JOBS,
      seconds,
      jobsPerSecond: JOBS / seconds,
      p50: percentile(latencies, 50),
      p99: percentile(latencies, 99),
      max: latencies.at(-1)!,
    }
  } finally {
    await db.pool?.close()
    await Promise.all(children.map((child) => stopPid(child.pid)))
    await down({ stateDir })
    rmSync(dir, { recursive: true, force: true })
  }
}

const results: Result[] = []
for (const replicas of [3, 1]) {
  console.error(`bench: num_replicas ${replicas}: ${JOBS} jobs, ${CONCURRENCY} concurrent clients, ${WORKERS} workers x 4 ...`)
  results.push(await runConfiguration(replicas))
}
console.log('| streams | jobs | jobs/s | p50 POST→done (ms) | p99 POST→done (ms) | max (ms) |')
console.log('| --- | --- | --- | --- | --- | --- |')
for (const result of results) {
  console.log(
    `| num_replicas ${result.replicas} | ${result.jobs} | ${result.jobsPerSecond.toFixed(1)} | ${result.p50} | ${result.p99} | ${result.max} |`,
  )
}
console.log(JSON.stringify({ jobs: JOBS, concurrency: CONCURRENCY, workers: WORKERS, results }))
