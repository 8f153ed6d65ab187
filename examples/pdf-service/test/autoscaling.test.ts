/**
 * Proof 3, autoscaling: starting from zero workers, a burst of jobs makes the autoscaler run
 * workers above its minimum; once the queue has been empty for the cooldown, it scales to zero.
 * Every change is in its log with the numbers that drove it.
 */
import { afterAll, beforeAll, expect, test } from 'vitest'
import { waitFor } from '../src/infra/processes.js'
import {
  isQuiet,
  type LogLine,
  parallel,
  queueState,
  readLog,
  type Service,
  sampleBody,
  startSystem,
  submit,
  type TestSystem,
} from './harness.js'

let system: TestSystem
let autoscaler: Service

beforeAll(async () => {
  system = await startSystem({
    env: {
      AUTOSCALER_MIN: '0',
      AUTOSCALER_MAX: '3',
      AUTOSCALER_BACKLOG_PER_WORKER: '10',
      AUTOSCALER_COOLDOWN_MS: '2000',
      AUTOSCALER_INTERVAL_MS: '250',
      WORKER_CONCURRENCY: '2',
      WORKER_ACK_WAIT_MS: '5000',
    },
  })
  await system.start('api')
  autoscaler = await system.start('autoscaler')
}, 180_000)

afterAll(async () => {
  await system?.close()
}, 120_000)

const decisions = () =>
  readLog(autoscaler.logFile)
    .map(({ line }) => line)
    .filter((line): line is LogLine & { workers: number; desired: number; reason: string; backlog: number; pending: number } =>
      line.msg.startsWith('scale decision'),
    )

test('a burst scales workers above min, and a drained queue scales them to zero', async () => {
  // Idle: nothing to do, no worker.
  await new Promise((resolve) => setTimeout(resolve, 1_000))
  expect(decisions()).toEqual([])

  const jobIds: string[] = []
  await parallel(
    Array.from({ length: 120 }, (_, index) => index),
    16,
    async (index) => {
      const response = await submit(system.apiUrl, sampleBody(index, 20))
      expect(response.status).toBe(202)
      jobIds.push(response.jobId!)
    },
  )
  await waitFor(
    'every job done',
    async () => {
      const { rows } = await system.db.query<{ n: string }>(
        "SELECT count(*) AS n FROM jobs WHERE id = ANY($1::uuid[]) AND status = 'done'",
        [jobIds],
      )
      return Number(rows[0]!.n) === jobIds.length
    },
    120_000,
    250,
  )
  const scaledDown = await waitFor('scale to zero', async () => decisions().find((decision) => decision.desired === 0), 60_000)
  await waitFor(
    'every worker to exit',
    async () => {
      const lines = readLog(autoscaler.logFile).map(({ line }) => line)
      const started = lines.filter((line) => line.msg === 'worker started').length
      const stopped = lines.filter((line) => line.msg === 'pdf-worker stopped').length
      return started > 0 && started === stopped
    },
    30_000,
  )
  expect(isQuiet(await queueState(system.state))).toBe(true)

  const all = decisions()
  for (const decision of all)
    console.log(`autoscaler: ${decision.msg} reason=${decision.reason} backlog=${decision.backlog} perWorker=${decision.perWorker}`)
  const peak = Math.max(...all.map((decision) => decision.desired))
  expect(peak).toBeGreaterThanOrEqual(2)
  // The first decision is a scale-up driven by the backlog, with its numbers.
  expect(all[0]).toMatchObject({ workers: 0, reason: 'backlog', threshold: 10 })
  expect(all[0]!.backlog).toBeGreaterThan(0)
  expect(all[0]!.desired).toBeGreaterThan(0)
  // The last one scales to zero because the queue stayed empty for the cooldown.
  expect(scaledDown).toMatchObject({ desired: 0, reason: 'queue-empty-for-cooldown', backlog: 0, cooldownMs: 2_000 })
  expect(scaledDown.emptyForMs as number).toBeGreaterThanOrEqual(2_000)
  expect(all.at(-1)).toEqual(scaledDown)
}, 240_000)
