/**
 * Canonical JSON and content hashes: the same value in any key order or formatting has one text and one
 * hash. Contracts, schemas, provider schemas and the broker's stored documents are all identified this way.
 */
import { createHash } from 'node:crypto'

/** Object keys sorted, no insignificant whitespace, `undefined` members dropped; array order is kept. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(sortKeys(value))
}

/** A copy of `value` with every object's keys in sorted order and `undefined` members dropped. */
export function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys)
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {}
    for (const key of Object.keys(value).sort()) {
      const v = (value as Record<string, unknown>)[key]
      if (v === undefined) continue
      // A `__proto__` member (JSON.parse makes it an own property) assigned would set the copy's prototype and vanish.
      if (key === '__proto__') Object.defineProperty(out, key, { value: sortKeys(v), enumerable: true, writable: true, configurable: true })
      else out[key] = sortKeys(v)
    }
    return out
  }
  return value
}

/** sha256 of a text, as 64 lowercase hex digits. */
export function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex')
}

/** sha256 (hex) of a value's canonical JSON. */
export function contentHash(value: unknown): string {
  return sha256(canonicalJson(value))
}
