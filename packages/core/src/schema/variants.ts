/**
 * Variants: instances the schema allows that a handler tested only on "the" example never sees.
 * Each optional property absent (or present, when the example left it out), each enum value,
 * null where null is allowed, arrays at their smallest and largest size, numbers and string lengths
 * at their bounds. Every variant is validated against the whole schema; ones it rejects are dropped,
 * so a handler is never blamed for a message the contract does not allow.
 */
import { canonicalJson } from '../json/canonical.js'
import type { JsonSchema, JsonValue } from '../json/types.js'
import { exampleFor, resolveRef } from './example.js'
import { conforms } from './interpret.js'

export interface Variant {
  /** Reads as the end of "the handler fails when …": "`options` is absent". */
  name: string
  value: JsonValue
}

type S = Record<string, unknown>
type Edit = { name: string; path: (string | number)[]; value?: JsonValue; remove?: boolean }

/** The largest array a variant builds, whatever `maxItems` says. */
const MAX_ARRAY_VARIANT = 100

/**
 * Variants of `example` allowed by `schema`, at most `limit`, shallow edits first. `label` names
 * the message part in variant names (`payload`, `headers`).
 */
export function variantsOf(schema: JsonSchema, example: JsonValue, limit: number, label = 'payload'): Variant[] {
  const edits: Edit[] = []
  collect(schema, schema, example, [], edits, 0)
  edits.sort((a, b) => a.path.length - b.path.length)
  const seen = new Set([canonicalJson(example)])
  const out: Variant[] = []
  for (const edit of edits) {
    if (out.length >= limit) break
    const value = apply(example, edit)
    const key = canonicalJson(value)
    if (seen.has(key) || !conforms(schema, value)) continue
    seen.add(key)
    out.push({ name: edit.name.replace('§', pathName(label, edit.path)), value })
  }
  return out
}

function pathName(label: string, path: (string | number)[]): string {
  if (path.length === 0) return `\`${label}\``
  return `\`${path.map((p, i) => (typeof p === 'number' ? `[${p}]` : i === 0 ? p : `.${p}`)).join('')}\``
}

function collect(schema: JsonSchema, root: JsonSchema, value: JsonValue, path: (string | number)[], out: Edit[], depth: number): void {
  if (typeof schema !== 'object' || depth > 16) return
  let s = schema as S
  if (typeof s.$ref === 'string') {
    try {
      s = resolveRef(s.$ref, root, '') as S
    } catch {
      return
    }
    if (typeof s !== 'object') return
  }
  const types = Array.isArray(s.type) ? s.type : s.type === undefined ? [] : [s.type]
  const alts = [...((s.anyOf as S[]) ?? []), ...((s.oneOf as S[]) ?? [])]
  if (
    value !== null &&
    (types.includes('null') || (Array.isArray(s.enum) && s.enum.includes(null)) || alts.some((a) => a?.type === 'null'))
  ) {
    out.push({ name: '§ is null', path, value: null })
  }
  if (Array.isArray(s.enum)) {
    for (const v of s.enum as JsonValue[]) if (v !== value) out.push({ name: `§ is ${JSON.stringify(v)}`, path, value: v })
  }
  if (typeof value === 'boolean' && s.const === undefined && s.enum === undefined) out.push({ name: `§ is ${!value}`, path, value: !value })
  if (typeof value === 'number') numberEdits(s, value, types.includes('integer'), path, out)
  if (typeof value === 'string') stringEdits(s, value, path, out)
  if (Array.isArray(value)) {
    const item = (s.items ?? {}) as JsonSchema
    const min = typeof s.minItems === 'number' ? s.minItems : 0
    const max = typeof s.maxItems === 'number' ? s.maxItems : undefined
    const template = value[0]
    if (template !== undefined && !Array.isArray(s.prefixItems)) {
      const sized = (n: number, label: string) =>
        out.push({ name: `§ ${label}`, path, value: Array.from({ length: n }, () => structuredClone(template)) })
      if (min !== value.length) sized(min, min === 0 ? 'is empty' : `has ${min} item${min === 1 ? '' : 's'} (its minimum)`)
      if (max !== undefined && max !== value.length)
        sized(
          Math.min(max, MAX_ARRAY_VARIANT),
          `has ${Math.min(max, MAX_ARRAY_VARIANT)} items${max <= MAX_ARRAY_VARIANT ? ' (its maximum)' : ''}`,
        )
      collect(item, root, template, [...path, 0], out, depth + 1)
    }
  }
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    const props = (s.properties ?? {}) as Record<string, JsonSchema>
    const required = new Set((s.required as string[] | undefined) ?? [])
    for (const [key, sub] of Object.entries(props)) {
      const here = [...path, key]
      if (Object.hasOwn(value, key)) {
        if (!required.has(key)) out.push({ name: '§ is absent', path: here, remove: true })
        collect(sub, root, value[key] as JsonValue, here, out, depth + 1)
      } else {
        try {
          out.push({ name: '§ is present', path: here, value: exampleFor(withRoot(sub, root)) })
        } catch {
          // no example can be built for it; the absent case is the example itself
        }
      }
    }
  }
  for (const sub of (s.allOf as JsonSchema[] | undefined) ?? []) collect(sub, root, value, path, out, depth + 1)
}

/** A sub-schema that still resolves `#/$defs/...` refs of its root. */
function withRoot(sub: JsonSchema, root: JsonSchema): JsonSchema {
  if (typeof sub !== 'object' || typeof root !== 'object') return sub
  const defs = (root as S).$defs
  return defs ? { ...(sub as S), $defs: defs } : sub
}

function numberEdits(s: S, value: number, integer: boolean, path: (string | number)[], out: Edit[]): void {
  const step = integer ? 1 : 0.001
  const bounds: [unknown, number, string][] = [
    [s.minimum, 0, 'its minimum'],
    [s.maximum, 0, 'its maximum'],
    [s.exclusiveMinimum, step, 'just above its exclusive minimum'],
    [s.exclusiveMaximum, -step, 'just below its exclusive maximum'],
  ]
  for (const [bound, delta, label] of bounds) {
    if (typeof bound === 'number' && bound + delta !== value)
      out.push({ name: `§ is ${bound + delta} (${label})`, path, value: bound + delta })
  }
  if (integer && s.minimum === undefined && s.exclusiveMinimum === undefined && value !== 0) out.push({ name: '§ is 0', path, value: 0 })
}

function stringEdits(s: S, value: string, path: (string | number)[], out: Edit[]): void {
  if (s.format !== undefined || s.pattern !== undefined || s.enum !== undefined || s.const !== undefined) return
  const min = typeof s.minLength === 'number' ? s.minLength : 0
  const max = typeof s.maxLength === 'number' ? s.maxLength : undefined
  if (min !== value.length)
    out.push({
      name: min === 0 ? '§ is an empty string' : `§ has ${min} characters (its minimum)`,
      path,
      value: value.padEnd(min, 'x').slice(0, min),
    })
  if (max !== undefined && max !== value.length && max <= 100_000) {
    out.push({ name: `§ has ${max} characters (its maximum)`, path, value: value.padEnd(max, 'x').slice(0, max) })
  }
}

function apply(example: JsonValue, edit: Edit): JsonValue {
  if (edit.path.length === 0) return edit.value ?? null
  const copy = structuredClone(example)
  let cur = copy as Record<string | number, JsonValue>
  for (const seg of edit.path.slice(0, -1)) cur = cur[seg] as Record<string | number, JsonValue>
  const last = edit.path[edit.path.length - 1] as string | number
  if (edit.remove) delete cur[last]
  else cur[last] = edit.value as JsonValue
  return copy
}
