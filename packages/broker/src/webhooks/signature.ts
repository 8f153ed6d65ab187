/**
 * Webhook signatures: `X-Treaty-Signature: sha256=<hex HMAC-SHA256 of the raw body, keyed by the webhook's
 * secret>`. The receiver recomputes it over the bytes it received, compares in constant time, and drops
 * duplicates by the body's `id` (delivery is at-least-once).
 */
import { createHmac, timingSafeEqual } from 'node:crypto'

export const SIGNATURE_HEADER = 'x-treaty-signature'

export function signBody(secret: string, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`
}

/** For receivers written in Node: true when `header` is the signature of `body` under `secret`. */
export function verifySignature(secret: string, body: string | Buffer, header: string | undefined): boolean {
  if (typeof header !== 'string') return false
  const expected = Buffer.from(`sha256=${createHmac('sha256', secret).update(body).digest('hex')}`)
  const given = Buffer.from(header)
  return given.length === expected.length && timingSafeEqual(given, expected)
}
