import { intEnv, intListEnv } from '../config.js'
import type { WorkerConsumerOptions } from '../nats/topology.js'

export interface WorkerConfig extends WorkerConsumerOptions {
  concurrency: number
}

/** WORKER_CONCURRENCY, WORKER_ACK_WAIT_MS, WORKER_MAX_DELIVER, WORKER_BACKOFF_MS (comma-separated). */
export function workerConfig(env: NodeJS.ProcessEnv = process.env): WorkerConfig {
  return {
    concurrency: intEnv(env, 'WORKER_CONCURRENCY', 4, 1),
    ackWaitMs: intEnv(env, 'WORKER_ACK_WAIT_MS', 30_000, 1_000),
    maxDeliver: intEnv(env, 'WORKER_MAX_DELIVER', 5, 2),
    backoffMs: intListEnv(env, 'WORKER_BACKOFF_MS', [1_000, 5_000, 15_000, 30_000]),
  }
}

/** Delay before the next attempt after a failed one (`deliveryCount` is 1 on the first delivery). */
export function retryDelayMs(config: WorkerConfig, deliveryCount: number): number {
  const { backoffMs } = config
  if (backoffMs.length === 0) return 0
  return backoffMs[Math.min(deliveryCount - 1, backoffMs.length - 1)]!
}
