/**
 * The writer side. A writer schema is turned into branches: each branch is a conjunction of schema
 * objects (`atoms`) whose own keywords all hold, plus schemas the instance must not match (`nots`).
 * `anyOf` splits into branches, `oneOf` too (each alternative with the others negated), `allOf` and
 * `$ref` join atoms. Every step may only over-approximate: dropping a conjunct (an unresolvable
 * `$ref`, a keyword the engine does not model, too many alternatives) makes the writer larger,
 * which keeps "compatible" sound; `approximate` says when that happened, so findings can be worded
 * as unproven rather than certain.
 */
import type { JsonValue } from '../../json/types.js'
import { isAnnotation, T_ALL, T_FRACTION, typeBitOf, typesOf } from './keywords.js'
import { child, isObject, jsonEqual, type Located, listedValues, matches, resolveRef, type SchemaObject } from './normalise.js'

export interface Atom extends Located {
  readonly schema: SchemaObject
}

export interface Branch {
  readonly atoms: readonly Atom[]
  readonly nots: readonly Located[]
  /** The subschemas this branch was expanded from: every instance of the branch is valid under all of them. */
  readonly origin: readonly Located[]
  /** Why the branch is larger than the writer's real branch, when it is. */
  readonly approximate: string | undefined
  readonly types: number
  /** The finite set of values the branch may take (from `enum`/`const`), else undefined. */
  readonly values: JsonValue[] | undefined
  /** `multipleOf: 1` somewhere: numbers are integers even under `type: number`. */
  readonly integerOnly: boolean
}

/** More alternatives than this and the writer is approximated by its atoms alone. */
const MAX_BRANCHES = 64

interface Partial {
  atoms: Atom[]
  nots: Located[]
  approximate: string | undefined
}

/** The branches of the conjunction of `list`; an empty array means the conjunction is empty. */
export function expand(list: readonly Located[]): Branch[] {
  let acc: Partial[] = [{ atoms: [], nots: [], approximate: undefined }]
  for (const l of list) {
    acc = product([acc, expandOne(l, new Set())])
    if (acc.length > MAX_BRANCHES) {
      acc = [{ atoms: list.filter((x): x is Atom => isObject(x.schema)), nots: [], approximate: 'the writer has too many alternatives' }]
      break
    }
  }
  const out: Branch[] = []
  for (const p of acc) {
    const b = finish(p, list)
    if (b) out.push(b)
  }
  return out
}

function expandOne(l: Located, trail: Set<object>): Partial[] {
  const s = l.schema
  if (s === true) return [{ atoms: [], nots: [], approximate: undefined }]
  if (s === false || !isObject(s)) return []
  const base: Partial = { atoms: [l as Atom], nots: s.not === undefined ? [] : [child(l, s.not)], approximate: undefined }
  const parts: Partial[][] = [[base]]
  if (typeof s.$ref === 'string') {
    const r = resolveRef(l, s.$ref)
    const target = r.located?.schema
    if (!r.located) base.approximate = `the writer's ${r.problem}`
    else if (typeof target === 'object' && trail.has(target)) base.approximate = 'the writer has a $ref cycle that never reaches a value'
    else parts.push(expandOne(r.located, typeof target === 'object' ? new Set([...trail, target]) : trail))
  }
  if (Array.isArray(s.allOf)) for (const c of s.allOf) parts.push(expandOne(child(l, c), trail))
  if (Array.isArray(s.anyOf)) parts.push(s.anyOf.flatMap((c) => expandOne(child(l, c), trail)))
  if (Array.isArray(s.oneOf)) {
    const alts = s.oneOf.map((c) => child(l, c))
    parts.push(
      alts.flatMap((alt, i) => {
        const others = alts.filter((_, j) => j !== i)
        return expandOne(alt, trail).map((p) => ({ ...p, nots: [...p.nots, ...others] }))
      }),
    )
  }
  return product(parts)
}

function product(parts: Partial[][]): Partial[] {
  let acc: Partial[] = [{ atoms: [], nots: [], approximate: undefined }]
  for (const options of parts) {
    const next: Partial[] = []
    for (const a of acc) {
      for (const o of options) {
        next.push({ atoms: [...a.atoms, ...o.atoms], nots: [...a.nots, ...o.nots], approximate: a.approximate ?? o.approximate })
        if (next.length > MAX_BRANCHES) break
      }
    }
    acc = next
  }
  return acc
}

function finish(p: Partial, origin: readonly Located[]): Branch | undefined {
  let types = T_ALL
  let values: JsonValue[] | undefined
  let integerOnly = false
  for (const a of p.atoms) {
    types &= typesOf(a.schema)
    const listed = listedValues(a.schema)
    if (listed) values = values === undefined ? listed : values.filter((v) => listed.some((x) => jsonEqual(v, x)))
    if (a.schema.multipleOf === 1) integerOnly = true
  }
  // `not: { type: … }` is exact: those types are simply excluded.
  for (const n of p.nots) {
    if (n.schema === true) return undefined
    if (isObject(n.schema) && Object.keys(n.schema).every((k) => k === 'type' || k === 'nullable' || isAnnotation(k))) {
      types &= ~typesOf(n.schema)
    }
  }
  if (integerOnly) types &= ~T_FRACTION
  if (values) values = values.filter((v) => (typeBitOf(v) & types) !== 0)
  if (types === 0 || values?.length === 0) return undefined
  return { atoms: p.atoms, nots: p.nots, origin, approximate: p.approximate, types, values, integerOnly }
}

// ---- facts per JSON type, as the conjunction of atoms states them ------------------------------

export interface NumberFacts {
  lo: number | undefined
  loExclusive: boolean
  hi: number | undefined
  hiExclusive: boolean
  multipleOfs: number[]
}

export function numberFacts(b: Branch): NumberFacts {
  const f: NumberFacts = { lo: undefined, loExclusive: false, hi: undefined, hiExclusive: false, multipleOfs: [] }
  const lower = (v: unknown, exclusive: boolean) => {
    if (typeof v !== 'number') return
    if (f.lo === undefined || v > f.lo || (v === f.lo && exclusive)) {
      f.lo = v
      f.loExclusive = exclusive
    }
  }
  const upper = (v: unknown, exclusive: boolean) => {
    if (typeof v !== 'number') return
    if (f.hi === undefined || v < f.hi || (v === f.hi && exclusive)) {
      f.hi = v
      f.hiExclusive = exclusive
    }
  }
  for (const { schema: s } of b.atoms) {
    lower(s.minimum, false)
    lower(s.exclusiveMinimum, true)
    upper(s.maximum, false)
    upper(s.exclusiveMaximum, true)
    if (typeof s.multipleOf === 'number') f.multipleOfs.push(s.multipleOf)
  }
  return f
}

/** The least and greatest integers the facts allow (undefined = unbounded). */
export function integerRange(f: NumberFacts): { min: number | undefined; max: number | undefined } {
  const min = f.lo === undefined ? undefined : f.loExclusive ? Math.floor(f.lo) + 1 : Math.ceil(f.lo)
  const max = f.hi === undefined ? undefined : f.hiExclusive ? Math.ceil(f.hi) - 1 : Math.floor(f.hi)
  return { min, max }
}

export interface StringFacts {
  minLength: number
  maxLength: number
  patterns: string[]
  formats: string[]
}

export function stringFacts(b: Branch): StringFacts {
  const f: StringFacts = { minLength: 0, maxLength: Number.POSITIVE_INFINITY, patterns: [], formats: [] }
  for (const { schema: s } of b.atoms) {
    if (typeof s.minLength === 'number') f.minLength = Math.max(f.minLength, s.minLength)
    if (typeof s.maxLength === 'number') f.maxLength = Math.min(f.maxLength, s.maxLength)
    if (typeof s.pattern === 'string') f.patterns.push(s.pattern)
    if (typeof s.format === 'string') f.formats.push(s.format)
  }
  return f
}

export interface ArrayModel {
  prefix: Located[]
  items: Located | undefined
}

export interface ArrayFacts {
  models: ArrayModel[]
  minItems: number
  /** `maxItems`, lowered where an item schema is `false`. */
  maxItems: number
  unique: boolean
}

export function arrayFacts(b: Branch): ArrayFacts {
  const f: ArrayFacts = { models: [], minItems: 0, maxItems: Number.POSITIVE_INFINITY, unique: false }
  for (const a of b.atoms) {
    const s = a.schema
    if (typeof s.minItems === 'number') f.minItems = Math.max(f.minItems, s.minItems)
    if (typeof s.maxItems === 'number') f.maxItems = Math.min(f.maxItems, s.maxItems)
    if (s.uniqueItems === true) f.unique = true
    const prefix = Array.isArray(s.prefixItems) ? s.prefixItems.map((p) => child(a, p)) : []
    const items = s.items === undefined ? undefined : child(a, s.items)
    if (prefix.length === 0 && items === undefined) continue
    f.models.push({ prefix, items })
    const closedAt = prefix.findIndex((p) => p.schema === false)
    if (closedAt >= 0) f.maxItems = Math.min(f.maxItems, closedAt)
    if (items?.schema === false) f.maxItems = Math.min(f.maxItems, prefix.length)
  }
  return f
}

/** The schemas item `index` must satisfy in every model (empty = unconstrained). */
export function itemSchemasAt(f: ArrayFacts, index: number): Located[] {
  const out: Located[] = []
  for (const m of f.models) {
    const s = index < m.prefix.length ? m.prefix[index] : m.items
    if (s) out.push(s)
  }
  return out
}

export interface ObjectModel {
  properties: Record<string, Located>
  patterns: [string, Located][]
  additional: Located | undefined
}

export interface ObjectFacts {
  models: ObjectModel[]
  required: Set<string>
  minProperties: number
  maxProperties: number
}

export function objectModel(l: Atom): ObjectModel | undefined {
  const s = l.schema
  if (s.properties === undefined && s.patternProperties === undefined && s.additionalProperties === undefined) return undefined
  const properties: Record<string, Located> = {}
  if (isObject(s.properties)) for (const [k, v] of Object.entries(s.properties)) properties[k] = child(l, v)
  const patterns: [string, Located][] = isObject(s.patternProperties)
    ? Object.entries(s.patternProperties).map(([p, v]) => [p, child(l, v)])
    : []
  const additional = s.additionalProperties === undefined ? undefined : child(l, s.additionalProperties)
  return { properties, patterns, additional }
}

export function objectFacts(b: Branch): ObjectFacts {
  const f: ObjectFacts = { models: [], required: new Set(), minProperties: 0, maxProperties: Number.POSITIVE_INFINITY }
  for (const a of b.atoms) {
    const s = a.schema
    if (Array.isArray(s.required)) for (const r of s.required) f.required.add(String(r))
    if (typeof s.minProperties === 'number') f.minProperties = Math.max(f.minProperties, s.minProperties)
    if (typeof s.maxProperties === 'number') f.maxProperties = Math.min(f.maxProperties, s.maxProperties)
    const m = objectModel(a)
    if (m) f.models.push(m)
  }
  return f
}

/**
 * The schemas a value of property `name` must satisfy in every model. A pattern that does not
 * compile counts as matching without constraining (so `additionalProperties` is not applied): the
 * writer only grows.
 */
export function propertySchemasFor(f: ObjectFacts, name: string): Located[] {
  const out: Located[] = []
  for (const m of f.models) {
    const named = Object.hasOwn(m.properties, name)
    if (named) out.push(m.properties[name]!)
    let matched = false
    for (const [p, s] of m.patterns) {
      const hit = matches(p, name)
      if (hit !== false) matched = true
      if (hit === true) out.push(s)
    }
    if (!named && !matched && m.additional) out.push(m.additional)
  }
  return out
}

/** When some model is closed (no patterns, `additionalProperties: false`), the names it allows. */
export function closedNames(f: ObjectFacts): string[] | undefined {
  let best: string[] | undefined
  for (const m of f.models) {
    if (m.patterns.length > 0 || m.additional?.schema !== false) continue
    const names = Object.keys(m.properties).filter((k) => m.properties[k]!.schema !== false)
    if (!best || names.length < best.length) best = names
  }
  return best
}
