/**
 * Proof 2, chaos: while >= 500 jobs are submitted, kill -9 the NATS node leading PDF_REQUESTS, then
 * kill -9 the PostgreSQL primary and promote the standby. Every job that got a 202 must end `done`
 * exactly once, with exactly one PDF, and nothing may be left unacked. Beside it, `treaty observe`'s observer
 * checks every message on `pdf.>` against the contracts and must report zero mismatches.
 */
import { readFileSync } from 'node:fs'
import { readContracts } from '@treaty/core'
import { type NatsTransport, natsTransport, type ObservationReport, observe } from '@treaty/observe'
import { afterAll, beforeAll, expect, test } from 'vitest'
import { CONTRACTS_DIR } from '../src/contract/paths.js'
import { killNatsNode, natsUrls, streamLeader } from '../src/infra/nats-cluster.js'
import { failover, killPostgresNode, primaryNode } from '../src/infra/postgres.js'
import { waitFor, waitForExit } from '../src/infra/processes.js'
import { writeState } from '../src/infra/state.js'
import { isQuiet, parallel, queueState, sampleBody, startSystem, submit, type TestSystem } from './harness.js'

const JOBS = Number(process.env.PDF_CHAOS_JOBS ?? 600)
const KILL_NATS_AFTER = Math.floor(JOBS * 0.25)
const KILL_PG_AFTER = Math.floor(JOBS * 0.6)

let system: TestSystem
let transport: NatsTransport | undefined
const stopObserving = new AbortController()
let observed: Promise<ObservationReport> | undefined

beforeAll(async () => {
  system = await startSystem({
    env: {
      // Short ack wait: messages a dead leader had handed out come back in seconds, not in 30 s.
      WORKER_ACK_WAIT_MS: '3000',
      WORKER_BACKOFF_MS: '500,1000,2000',
      // Outages make deliveries fail; a legitimate job must not be dead-lettered because of them.
      WORKER_MAX_DELIVER: '50',
      WORKER_CONCURRENCY: '8',
      API_ACK_WAIT_MS: '3000',
      AUTOSCALER_MIN: '2',
      AUTOSCALER_MAX: '3',
      AUTOSCALER_BACKLOG_PER_WORKER: '25',
    },
  })
  const contracts = (await readContracts(CONTRACTS_DIR)).map((contract) => ({
    consumer: contract.consumer,
    consumerVersion: 'local',
    contract,
  }))
  transport = await natsTransport({ servers: natsUrls(system.state) })
  let subscribed: () => void = () => {}
  const ready = new Promise<void>((resolve) => (subscribed = resolve))
  observed = observe({ transport, contracts, subjects: ['pdf.>'], signal: stopObserving.signal, onSubscribed: () => subscribed() })
  await ready
  await system.start('api')
  const autoscaler = await system.start('autoscaler')
  // Steady state first: the minimum workers are up before the load (and the faults) begin.
  await waitFor('the minimum workers', async () => countLines(autoscaler.logFile, /pdf-worker ready/) >= 2, 60_000)
}, 180_000)

afterAll(async () => {
  stopObserving.abort()
  await observed?.catch(() => undefined)
  await transport?.close()
  await system?.close()
}, 120_000)

/**
 * Recovery gap after a fault: the longest stretch without a success (a 202, or a job done) among
 * the stretches that start between the fault and `until` (the next fault, or the end). The fault
 * instant starts the first stretch, which may end after `until` if nothing succeeded before it.
 */
function recoveryGap(times: number[], fault: number, until: number): number {
  const points = [fault, ...times.filter((time) => time > fault)].sort((a, b) => a - b)
  let longest = 0
  for (let index = 1; index < points.length && points[index - 1]! < until; index++) {
    longest = Math.max(longest, points[index]! - points[index - 1]!)
  }
  return longest
}

function countLines(file: string, pattern: RegExp): number {
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((line) => pattern.test(line)).length
}

test(`no job is lost or duplicated when the NATS stream leader and the PostgreSQL primary are killed (${JOBS} jobs)`, async () => {
  const acceptedAt: number[] = []
  const accepted: string[] = []
  const rejected: string[] = []
  let natsKilledAt = 0
  let pgKilledAt = 0
  let natsVictim = ''
  let faults: Promise<void> = Promise.resolve()

  const started = Date.now()
  await parallel(
    Array.from({ length: JOBS }, (_, index) => index),
    12,
    async (index) => {
      try {
        const response = await submit(system.apiUrl, sampleBody(index, 2 + (index % 6)))
        if (response.status !== 202) {
          rejected.push(`${response.status} ${JSON.stringify(response.body)}`)
          return
        }
        accepted.push(response.jobId!)
        acceptedAt.push(Date.now())
      } catch (error) {
        rejected.push(String(error))
        return
      }
      if (accepted.length === KILL_NATS_AFTER) {
        faults = faults.then(async () => {
          const leader = await streamLeader(system.state)
          natsVictim = `${leader.name} (az:${leader.zone})`
          natsKilledAt = Date.now()
          killNatsNode(leader)
        })
      }
      if (accepted.length === KILL_PG_AFTER) {
        faults = faults.then(async () => {
          const primary = primaryNode(system.state)
          pgKilledAt = Date.now()
          killPostgresNode(primary)
          await waitForExit(primary.pid!, 10_000)
          // What an operator (or a failover agent) does on losing the primary.
          await failover(system.state)
          writeState(system.state)
        })
      }
    },
  )
  await faults
  const submittedIn = Date.now() - started
  expect(natsKilledAt, 'the NATS leader was killed during the run').toBeGreaterThan(0)
  expect(pgKilledAt, 'the PostgreSQL primary was killed during the run').toBeGreaterThan(0)

  const doneCount = async () => {
    const { rows } = await system.db.query<{ n: string }>("SELECT count(*) AS n FROM jobs WHERE id = ANY($1::uuid[]) AND status = 'done'", [
      accepted,
    ])
    return Number(rows[0]!.n)
  }
  await waitFor('every accepted job to be done', async () => (await doneCount()) === accepted.length, 180_000, 500).catch(() => undefined)
  await waitFor('the queues to drain', async () => isQuiet(await queueState(system.state)), 60_000, 500).catch(() => undefined)

  const { rows: jobs } = await system.db.query<{
    id: string
    status: string
    done_transitions: string
    pdf_rows: string
    done_at: Date | null
  }>(
    `SELECT j.id, j.status, j.done_at,
            (SELECT count(*) FROM job_transitions t WHERE t.job_id = j.id AND t.status = 'done') AS done_transitions,
            (SELECT count(*) FROM pdfs p WHERE p.job_id = j.id) AS pdf_rows
     FROM jobs j WHERE j.id = ANY($1::uuid[])`,
    [accepted],
  )
  const byId = new Map(jobs.map((job) => [job.id, job]))
  const lost = accepted.filter((id) => byId.get(id)?.status !== 'done' || Number(byId.get(id)?.pdf_rows) === 0)
  const duplicates = jobs.reduce(
    (sum, job) => sum + Math.max(0, Number(job.done_transitions) - 1) + Math.max(0, Number(job.pdf_rows) - 1),
    0,
  )
  const notDoneOnce = jobs.filter((job) => Number(job.done_transitions) !== 1)
  const queue = await queueState(system.state)
  const unacked = queue.requestsInStream + queue.worker.pending + queue.worker.ackPending + queue.api.pending + queue.api.ackPending

  const doneTimes = jobs.flatMap((job) => (job.done_at ? [job.done_at.getTime()] : [])).sort((a, b) => a - b)
  acceptedAt.sort((a, b) => a - b)
  const end = Math.max(acceptedAt.at(-1) ?? 0, doneTimes.at(-1) ?? 0)
  const natsGap = recoveryGap(acceptedAt, natsKilledAt, pgKilledAt)
  const pgGap = recoveryGap(acceptedAt, pgKilledAt, end)
  const natsDoneGap = recoveryGap(doneTimes, natsKilledAt, pgKilledAt)
  const pgDoneGap = recoveryGap(doneTimes, pgKilledAt, end)
  stopObserving.abort()
  const live = await observed!
  const seen = (channel: string) => live.channels.find((c) => c.channel === channel)?.accepted ?? 0
  const [api, autoscaler] = system.services
  const replayedRequests = countLines(autoscaler!.logFile, /already stored for this job/)
  const duplicateEvents = countLines(api!.logFile, /duplicate event/)

  console.log(
    [
      `chaos: ${JOBS} submitted in ${submittedIn} ms, accepted=${accepted.length} rejected=${rejected.length}`,
      `killed NATS ${natsVictim} after ${KILL_NATS_AFTER} accepted; killed PostgreSQL primary after ${KILL_PG_AFTER} and promoted the standby`,
      `lost=${lost.length} duplicates=${duplicates} unacked=${unacked}`,
      `redeliveries absorbed: ${replayedRequests} pdf.requested found their PDF already stored, ${duplicateEvents} duplicate pdf.generated ignored`,
      `recovery gap NATS leader kill: ${natsGap} ms without a 202, ${natsDoneGap} ms without a completion`,
      `recovery gap PostgreSQL failover: ${pgGap} ms without a 202, ${pgDoneGap} ms without a completion`,
      `observed: ${seen('pdf.requested')} pdf.requested and ${seen('pdf.generated')} pdf.generated accepted by every consumer, ${live.mismatches.length} mismatches, ${live.events.length} transport events`,
      ...rejected.slice(0, 5).map((reason) => `rejected: ${reason}`),
    ].join('\n'),
  )
  expect(accepted.length).toBeGreaterThanOrEqual(500)
  expect(lost, 'accepted jobs that are not done with a PDF').toEqual([])
  expect(notDoneOnce.map((job) => `${job.id}: ${job.done_transitions} done transitions`)).toEqual([])
  expect(duplicates).toBe(0)
  expect(unacked).toBe(0)
  expect(live.mismatches, 'messages a consumer would reject').toEqual([])
  expect(live.notJson).toEqual([])
  expect(seen('pdf.generated')).toBeGreaterThan(0)
}, 420_000)
