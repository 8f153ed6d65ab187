/** When a failed delivery is tried again, and when the broker gives up on it. */

export interface RetryPolicy {
  /** Delay before the second attempt; doubles with each further attempt. */
  baseDelayMs: number
  /** The delay stops growing here. */
  maxDelayMs: number
  /** Attempts in all, the first included; after the last failure the delivery is marked failed. */
  maxAttempts: number
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = { baseDelayMs: 5_000, maxDelayMs: 60 * 60_000, maxAttempts: 18 }

/**
 * The delay after the `attempt`-th failed attempt (counting from 1), or null when there is no attempt left.
 * 5 s, 10 s, 20 s … capped at an hour by default: 18 attempts over about 9.5 hours, enough to ride out a
 * receiver's outage overnight.
 */
export function retryDelay(attempt: number, policy: RetryPolicy): number | null {
  if (attempt >= policy.maxAttempts) return null
  return Math.min(policy.baseDelayMs * 2 ** (attempt - 1), policy.maxDelayMs)
}

/** 2xx is delivered; anything else (other statuses, network errors, timeouts) is retried. */
export function isDelivered(statusCode: number): boolean {
  return statusCode >= 200 && statusCode < 300
}
