import { describe, expect, test } from 'vitest'
import { duringElection, isElection } from './topology.js'

function named(name: string, message = name): Error {
  const error = new Error(message)
  error.name = name
  return error
}

describe('a service starting during a JetStream leader election', () => {
  test('retries the start-up step while the JetStream API times out, then carries on', async () => {
    let calls = 0
    const waits: string[] = []
    const result = await duringElection(
      async () => {
        calls += 1
        if (calls < 3) throw named('TimeoutError', 'timeout')
        return 'ready'
      },
      10_000,
      (error) => waits.push(error.name),
    )
    expect(result).toBe('ready')
    expect(waits).toEqual(['TimeoutError', 'TimeoutError'])
  })

  test('does not retry what an election does not explain', async () => {
    let calls = 0
    const step = async () => {
      calls += 1
      throw new Error('consumer config invalid: max_deliver')
    }
    await expect(duringElection(step, 10_000)).rejects.toThrow('max_deliver')
    expect(calls).toBe(1)
  })

  test('gives up after its window with the last error', async () => {
    await expect(duringElection(async () => Promise.reject(named('NoRespondersError', 'no responders')), 0)).rejects.toThrow(
      'no responders',
    )
  })

  test('knows an election by its error, its cause or a 503 text', () => {
    expect(isElection(named('TimeoutError'))).toBe(true)
    expect(isElection(new Error('request failed', { cause: named('NoRespondersError') }))).toBe(true)
    expect(isElection(new Error('JetStream system temporarily unavailable'))).toBe(true)
    expect(isElection(new Error('stream not found'))).toBe(false)
    expect(isElection('timeout')).toBe(false)
  })
})
