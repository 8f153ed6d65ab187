/** Folding the members of a union into one schema, in an order that does not depend on TypeScript's type ids. */
import { canonicalJson } from '../json/canonical.js'
import type { JsonSchema } from '../json/types.js'

export type JsonType = 'string' | 'number' | 'boolean' | 'null'
export type Literal = string | number | boolean

/**
 * Primitive types as one `type` (an array when several), literals as `const`/`enum` (null joins the
 * enum when it is the only primitive), everything else as `anyOf` branches. `true` absorbs the rest;
 * nothing at all is `false` (`never`: no value).
 */
export function combine(types: Set<JsonType>, literals: Literal[], branches: JsonSchema[]): JsonSchema {
  if (branches.includes(true)) return true
  if (literals.includes(true) && literals.includes(false)) types.add('boolean')
  const kept = [...new Set(literals.filter((l) => !types.has(typeof l as JsonType)))].sort(compareLiterals)
  const parts: JsonSchema[] = []
  if (types.size === 1 && types.has('null') && kept.length > 0) {
    parts.push({ enum: [...kept, null] })
  } else {
    if (types.size > 0) {
      const sorted = [...types].sort()
      parts.push({ type: sorted.length === 1 ? sorted[0] : sorted })
    }
    if (kept.length === 1) parts.push({ const: kept[0] })
    else if (kept.length > 1) parts.push({ enum: kept })
  }
  parts.push(...branches.filter((b) => b !== false))
  if (parts.length === 0) return false
  return parts.length === 1 ? parts[0]! : anyOf(parts)
}

/** `anyOf` of distinct branches, in a stable order (by canonical JSON) so the output does not depend on type ids. */
export function anyOf(branches: JsonSchema[]): JsonSchema {
  const byJson = new Map(branches.map((b) => [canonicalJson(b), b]))
  if (byJson.size === 1) return [...byJson.values()][0]!
  return { anyOf: [...byJson.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([, b]) => b) }
}

function compareLiterals(a: Literal, b: Literal): number {
  if (typeof a !== typeof b) return typeof a < typeof b ? -1 : 1
  return a < b ? -1 : a > b ? 1 : 0
}
