import { describe, expect, test } from 'vitest'
import { decide, type ScalePolicy } from './decide.js'

const policy: ScalePolicy = { min: 0, max: 4, backlogPerWorker: 10, cooldownMs: 5_000 }
const at = (now: number, pending: number, workers: number, ackPending = 0) => ({ now, pending, ackPending, workers })

describe('decide', () => {
  test('starts workers for a backlog when none runs, up to what the threshold asks for', () => {
    expect(decide(at(0, 25, 0), null, policy)).toMatchObject({
      desired: 3,
      reason: 'backlog',
      backlog: 25,
      perWorker: Number.POSITIVE_INFINITY,
    })
  })

  test('starts one worker for a small backlog', () => {
    expect(decide(at(0, 1, 0), null, policy)).toMatchObject({ desired: 1, reason: 'backlog' })
  })

  test('never goes above max', () => {
    expect(decide(at(0, 1_000, 1), null, policy)).toMatchObject({ desired: 4, reason: 'backlog' })
    expect(decide(at(0, 0, 6), null, policy)).toMatchObject({ desired: 4, reason: 'above-max' })
  })

  test('counts messages in a worker’s hands as backlog', () => {
    expect(decide(at(0, 5, 1, 20), null, policy)).toMatchObject({ desired: 3, backlog: 25, perWorker: 25 })
  })

  test('holds while the backlog per worker is within the threshold, even if it could do with fewer', () => {
    expect(decide(at(0, 5, 3), null, policy)).toMatchObject({ desired: 3, reason: 'hold' })
  })

  test('scales to min (zero) only after the queue stayed empty for the cooldown', () => {
    const first = decide(at(1_000, 0, 2), null, policy)
    expect(first).toMatchObject({ desired: 2, reason: 'hold', emptySince: 1_000 })
    expect(decide(at(5_999, 0, 2), first.emptySince, policy)).toMatchObject({ desired: 2, reason: 'hold' })
    expect(decide(at(6_000, 0, 2), first.emptySince, policy)).toMatchObject({ desired: 0, reason: 'queue-empty-for-cooldown' })
  })

  test('a new message restarts the cooldown', () => {
    const busy = decide(at(3_000, 1, 2), 1_000, policy)
    expect(busy.emptySince).toBeNull()
    expect(decide(at(7_000, 0, 2), busy.emptySince, policy)).toMatchObject({ desired: 2, emptySince: 7_000 })
  })

  test('keeps min workers running', () => {
    const withMin = { ...policy, min: 1 }
    expect(decide(at(0, 0, 0), null, withMin)).toMatchObject({ desired: 1, reason: 'below-min' })
    expect(decide(at(60_000, 0, 3), 0, withMin)).toMatchObject({ desired: 1, reason: 'queue-empty-for-cooldown' })
  })
})
