/**
 * Messages travel as JSON, so what a consumer receives is the JSON round trip of what the producer
 * returned, not the object itself: a Date arrives as a string, an `undefined` property not at all.
 * The verifier validates that round trip. Values JSON cannot carry faithfully — BigInt (it throws),
 * functions and symbols (silently dropped), Map and Set (silently emptied), cycles (it throws) —
 * fail with the pointer of the offending value instead.
 *
 * One walk finds those, and also notes whether JSON would change anything at all. Producers mostly
 * return plain data (plain objects and arrays of strings, finite numbers, booleans, null), whose round
 * trip is the value itself; then the walk is all it costs (bench/verify: stringify + parse per message
 * more than halved verification throughput).
 */

import { renderPointer } from '../json/pointer.js'
import type { JsonValue } from '../json/types.js'

export type WireResult = { ok: true; value: JsonValue } | { ok: false; pointer: string; problem: string }

interface Walk {
  /** Keys from the root to the value being looked at. */
  path: (string | number)[]
  /** Objects from the root down to the one being looked at, for cycles: `stack[d]` sits at `path.slice(0, d)`. */
  stack: object[]
  /** JSON would change something (toJSON, undefined, NaN, a class instance, …): the round trip is needed. */
  changes: boolean
  problem: string | undefined
}

export function throughJson(value: unknown): WireResult {
  if (value === undefined) return { ok: false, pointer: '', problem: 'is undefined; a message part must be a JSON value' }
  const walk: Walk = { path: [], stack: [], changes: false, problem: undefined }
  if (!visit(value, '', walk)) return { ok: false, pointer: renderPointer(walk.path), problem: walk.problem! }
  return { ok: true, value: walk.changes ? (JSON.parse(JSON.stringify(value)) as JsonValue) : (value as JsonValue) }
}

/** False (with `walk.problem` set, `walk.path` at the culprit) when `input` cannot travel as JSON. */
function visit(input: unknown, key: string, walk: Walk): boolean {
  let value = input
  if (value !== null && (typeof value === 'object' || typeof value === 'bigint')) {
    const toJSON = (value as { toJSON?: unknown }).toJSON
    if (typeof toJSON === 'function') {
      walk.changes = true
      value = toJSON.call(value, key)
    }
  }
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return true
    case 'number':
      if (!Number.isFinite(value)) walk.changes = true // NaN and ±Infinity arrive as null
      return true
    case 'undefined':
      walk.changes = true // dropped from objects, null in arrays
      return true
    case 'bigint':
      walk.problem = `is a BigInt (${String(value)}n), which JSON cannot carry; send it as a string or a number`
      return false
    case 'function':
      walk.problem = 'is a function, which JSON drops; call it, or leave the property out'
      return false
    case 'symbol':
      walk.problem = 'is a symbol, which JSON drops'
      return false
    default:
      return value === null || visitObject(value as object, walk)
  }
}

function visitObject(value: object, walk: Walk): boolean {
  const depth = walk.stack.indexOf(value)
  if (depth !== -1) {
    const target = depth === 0 ? 'the root' : renderPointer(walk.path.slice(0, depth))
    walk.problem = `is a circular reference (back to ${target}), which JSON cannot carry`
    return false
  }
  if (value instanceof Map || value instanceof Set) {
    walk.problem =
      value instanceof Map
        ? 'is a Map, which JSON turns into {}; send an object instead'
        : 'is a Set, which JSON turns into {}; send an array instead'
    return false
  }
  walk.stack.push(value)
  const { path } = walk
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      path.push(i)
      if (!visit(value[i], String(i), walk)) return false
      path.pop()
    }
  } else {
    const proto = Object.getPrototypeOf(value)
    const keys = Object.keys(value)
    // JSON keeps own enumerable properties only; a class instance or a hidden property may differ from what validation would see.
    if ((proto !== Object.prototype && proto !== null) || Object.getOwnPropertyNames(value).length !== keys.length) walk.changes = true
    for (const k of keys) {
      path.push(k)
      if (!visit((value as Record<string, unknown>)[k], k, walk)) return false
      path.pop()
    }
  }
  walk.stack.pop()
  return true
}
