import { createHmac } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { DEFAULT_RETRY_POLICY, isDelivered, retryDelay } from './retry-policy.js'
import { signBody, verifySignature } from './signature.js'

describe('retryDelay', () => {
  const policy = { baseDelayMs: 100, maxDelayMs: 1_000, maxAttempts: 6 }

  it('doubles from the base, caps at the maximum, and gives up after the last attempt', () => {
    expect([1, 2, 3, 4, 5, 6].map((a) => retryDelay(a, policy))).toEqual([100, 200, 400, 800, 1_000, null])
  })

  it('by default keeps trying for hours before giving up', () => {
    let total = 0
    for (let a = 1; ; a++) {
      const d = retryDelay(a, DEFAULT_RETRY_POLICY)
      if (d === null) break
      total += d
    }
    expect(total / 3_600_000).toBeGreaterThan(8)
  })

  it('counts only 2xx as delivered', () => {
    expect([200, 204, 299, 301, 404, 500].map(isDelivered)).toEqual([true, true, true, false, false, false])
  })
})

describe('webhook signatures', () => {
  it('are HMAC-SHA256 of the exact body, hex, prefixed sha256=', () => {
    const body = '{"id":"e1","event":"contract_published"}'
    const expected = `sha256=${createHmac('sha256', 'a-secret-of-16+chars').update(body).digest('hex')}`
    expect(signBody('a-secret-of-16+chars', body)).toBe(expected)
    expect(verifySignature('a-secret-of-16+chars', body, expected)).toBe(true)
    expect(verifySignature('another-secret-16chars', body, expected)).toBe(false)
    expect(verifySignature('a-secret-of-16+chars', `${body} `, expected)).toBe(false)
    expect(verifySignature('a-secret-of-16+chars', body, undefined)).toBe(false)
  })
})
