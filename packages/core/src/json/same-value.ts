/**
 * Exact content identity of JSON values without writing them out: a 32-bit hash to find candidates and a
 * comparison to confirm one. Two values are the same when they have the same arrays, the same object keys in
 * the same order and the same primitives (Object.is): of two values JSON.parse gave, the same ones have the
 * same JSON text.
 *
 * Used where a value read again and again (a contract's schemas) is looked up by content: its JSON text as the
 * key (JSON.stringify, then hashing that text for the Map) cost about twice as much per schema.
 */

/** A hash of `value`'s content; the same values (see sameValue) hash alike. Recursion depth is the value's. */
export function valueHash(value: unknown): number {
  return mix(value, 0x811c9dc5)
}

const PRIME = 0x01000193

function mix(value: unknown, hash: number): number {
  switch (typeof value) {
    case 'string':
      return mixString(value, Math.imul(hash ^ 1, PRIME))
    case 'number':
      // Small integers hash apart; other numbers may collide, which sameValue sorts out.
      return Math.imul(Math.imul(hash ^ 2, PRIME) ^ (value | 0) ^ ((value * 4096) | 0), PRIME)
    case 'boolean':
      return Math.imul(hash ^ (value ? 3 : 4), PRIME)
    case 'object': {
      if (value === null) return Math.imul(hash ^ 5, PRIME)
      if (Array.isArray(value)) {
        let h = Math.imul(hash ^ 6, PRIME)
        for (let i = 0; i < value.length; i++) h = mix(value[i], h)
        return h
      }
      let h = Math.imul(hash ^ 7, PRIME)
      const record = value as Record<string, unknown>
      // for-in walks V8's cached key list without allocating one; inherited keys only make a miss.
      for (const key in record) h = mix(record[key], mixString(key, h))
      return h
    }
    default:
      return Math.imul(hash ^ 8, PRIME)
  }
}

function mixString(text: string, hash: number): number {
  let h = Math.imul(hash ^ text.length, PRIME)
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), PRIME)
  return h
}

/** True when `a` and `b` have the same content: arrays, object keys in order, primitives by Object.is. */
export function sameValue(a: unknown, b: unknown): boolean {
  if (a === b) return typeof a !== 'number' || Object.is(a, b)
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return Object.is(a, b)
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false
    for (let i = 0; i < a.length; i++) if (!sameValue(a[i], b[i])) return false
    return true
  }
  if (Array.isArray(b)) return false
  // `b`'s keys by for-in (no array allocated): an inherited enumerable key of `b` only makes them differ.
  const keys = Object.keys(a)
  let i = 0
  for (const key in b) {
    if (key !== keys[i] || !sameValue((a as Record<string, unknown>)[key], (b as Record<string, unknown>)[key])) return false
    i++
  }
  return i === keys.length
}
