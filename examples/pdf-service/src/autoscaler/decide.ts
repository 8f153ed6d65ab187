/**
 * The autoscaler's rule, as a function of numbers: scale up as soon as the backlog per worker
 * exceeds the threshold; scale down (to `min`, which may be zero) only after the queue has stayed
 * empty for the cooldown, so a pause between two bursts does not kill and restart workers.
 */
export interface ScalePolicy {
  min: number
  max: number
  /** Scale up when backlog / workers exceeds this. */
  backlogPerWorker: number
  cooldownMs: number
}

export interface ScaleObservation {
  /** Messages not yet delivered to any worker. */
  pending: number
  /** Messages delivered and not yet acked (in a worker's hands). */
  ackPending: number
  /** Workers running (not counting those draining). */
  workers: number
  now: number
}

export type ScaleReason = 'below-min' | 'above-max' | 'backlog' | 'queue-empty-for-cooldown' | 'hold'

export interface ScaleDecision {
  desired: number
  reason: ScaleReason
  backlog: number
  /** Backlog per running worker (Infinity with no worker and a backlog). */
  perWorker: number
  /** Since when the queue has been empty (carry it into the next call), null when it is not. */
  emptySince: number | null
}

export function decide(observation: ScaleObservation, emptySince: number | null, policy: ScalePolicy): ScaleDecision {
  const { workers, now } = observation
  const backlog = observation.pending + observation.ackPending
  const perWorker = workers === 0 ? (backlog === 0 ? 0 : Number.POSITIVE_INFINITY) : backlog / workers
  const since = backlog === 0 ? (emptySince ?? now) : null
  const result = (desired: number, reason: ScaleReason): ScaleDecision => ({ desired, reason, backlog, perWorker, emptySince: since })

  if (workers < policy.min) return result(policy.min, 'below-min')
  if (workers > policy.max) return result(policy.max, 'above-max')
  if (backlog > 0) {
    const needed = Math.min(policy.max, Math.max(1, policy.min, Math.ceil(backlog / policy.backlogPerWorker)))
    return needed > workers ? result(needed, 'backlog') : result(workers, 'hold')
  }
  if (workers > policy.min && since !== null && now - since >= policy.cooldownMs) return result(policy.min, 'queue-empty-for-cooldown')
  return result(workers, 'hold')
}
