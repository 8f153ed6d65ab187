/**
 * pdf-autoscaler: watches the work queue's consumer and runs pdf-worker processes between
 * AUTOSCALER_MIN and AUTOSCALER_MAX (rule in decide.ts). Each change is logged at info with the
 * numbers that drove it; decisions to hold are logged at debug. Workers inherit this process's
 * environment and stdout, and are stopped with SIGTERM (they drain their in-flight messages).
 */
import { type ChildProcess, spawn } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { jetstreamManager } from '@nats-io/jetstream'
import { connections, intEnv } from '../config.js'
import { createLogger } from '../log.js'
import { connectNats } from '../nats/connection.js'
import { ensureWorkerConsumer, REQUESTS_STREAM, WORKER_CONSUMER } from '../nats/topology.js'
import { workerConfig } from '../worker/worker-config.js'
import { decide, type ScalePolicy } from './decide.js'

const log = createLogger('pdf-autoscaler')
const env = process.env
const policy: ScalePolicy = {
  min: intEnv(env, 'AUTOSCALER_MIN', 0),
  max: intEnv(env, 'AUTOSCALER_MAX', 4, 1),
  backlogPerWorker: intEnv(env, 'AUTOSCALER_BACKLOG_PER_WORKER', 20, 1),
  cooldownMs: intEnv(env, 'AUTOSCALER_COOLDOWN_MS', 10_000),
}
const intervalMs = intEnv(env, 'AUTOSCALER_INTERVAL_MS', 500, 50)
const workerEntry = fileURLToPath(new URL('../worker/main.js', import.meta.url))

const { natsUrls } = connections()
const nc = await connectNats(natsUrls, `pdf-autoscaler-${process.pid}`)
const jsm = await jetstreamManager(nc, { timeout: 3_000 })
// With min 0 no worker may exist yet to create the consumer whose backlog we watch.
await ensureWorkerConsumer(jsm, workerConfig())

const running = new Map<number, ChildProcess>()
const draining = new Map<number, ChildProcess>()

function startWorker(): void {
  const child = spawn(process.execPath, [workerEntry], { env, stdio: ['ignore', 'inherit', 'inherit'] })
  const pid = child.pid
  if (!pid) return
  running.set(pid, child)
  child.once('exit', (code, signal) => {
    const expected = draining.delete(pid) || stopping
    running.delete(pid)
    if (!expected) log.warn({ workerPid: pid, code, signal }, 'worker exited unexpectedly')
  })
  log.info({ workerPid: pid }, 'worker started')
}

function stopWorker(): void {
  const newest = [...running.keys()].pop()
  if (newest === undefined) return
  const child = running.get(newest)!
  running.delete(newest)
  draining.set(newest, child)
  child.kill('SIGTERM')
  log.info({ workerPid: newest }, 'worker told to drain and stop')
}

let emptySince: number | null = null
let stopping = false

async function tick(): Promise<void> {
  const info = await jsm.consumers.info(REQUESTS_STREAM, WORKER_CONSUMER)
  const observation = { pending: info.num_pending, ackPending: info.num_ack_pending, workers: running.size, now: Date.now() }
  const decision = decide(observation, emptySince, policy)
  emptySince = decision.emptySince
  const numbers = {
    workers: observation.workers,
    desired: decision.desired,
    reason: decision.reason,
    pending: observation.pending,
    ackPending: observation.ackPending,
    backlog: decision.backlog,
    perWorker: Number.isFinite(decision.perWorker) ? Math.round(decision.perWorker * 10) / 10 : 'inf',
    threshold: policy.backlogPerWorker,
    emptyForMs: emptySince === null ? 0 : observation.now - emptySince,
    cooldownMs: policy.cooldownMs,
    min: policy.min,
    max: policy.max,
  }
  if (decision.desired === observation.workers) {
    log.debug(numbers, 'scale decision: hold')
    return
  }
  log.info(numbers, `scale decision: ${observation.workers} -> ${decision.desired} workers`)
  while (running.size < decision.desired) startWorker()
  while (running.size > decision.desired) stopWorker()
}

async function loop(): Promise<void> {
  while (!stopping) {
    try {
      await tick()
    } catch (error) {
      log.warn({ err: error instanceof Error ? error.message : String(error) }, 'could not read the queue; keeping the current workers')
    }
    await new Promise((resolve) => setTimeout(resolve, intervalMs))
  }
}

log.info({ ...policy, intervalMs }, 'pdf-autoscaler ready')
const looping = loop()

async function shutdown(signal: string): Promise<void> {
  if (stopping) return
  stopping = true
  log.info({ signal, workers: running.size }, 'pdf-autoscaler stopping its workers')
  await looping
  const all = [...running.values(), ...draining.values()]
  for (const child of running.values()) child.kill('SIGTERM')
  await Promise.all(
    all.map((child) =>
      child.exitCode !== null || child.signalCode !== null ? undefined : new Promise((resolve) => child.once('exit', resolve)),
    ),
  )
  await nc.close().catch(() => undefined)
  process.exit(0)
}
process.on('SIGTERM', () => void shutdown('SIGTERM'))
process.on('SIGINT', () => void shutdown('SIGINT'))
