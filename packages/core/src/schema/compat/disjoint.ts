/**
 * Proofs that no value satisfies both a writer facet and a reader subschema. They decide which
 * `anyOf`/`oneOf` alternatives can matter (a `oneOf` is only satisfied when the others provably do
 * not match) and reader `not`s. Ignoring any keyword only weakens a proof, so anything not modelled
 * here simply means "not proven disjoint".
 */
import type { JsonValue } from '../../json/types.js'
import { arrayFactsOf, type Facet, facetBits, numberFactsOf, objectFactsOf, type Prover, stringFactsOf } from './facet.js'
import { T_ARRAY, T_NUMBER, T_OBJECT, T_STRING, typeBitOf, typesOf } from './keywords.js'
import { child, isObject, jsonEqual, type Located, listedValues, resolveRef, type SchemaObject } from './normalise.js'
import { readerPropertySchemas } from './objects.js'
import { quickVerdict } from './values.js'
import { integerRange, itemSchemasAt, type NumberFacts, propertySchemasFor } from './writer.js'

/** Positions of arrays compared item by item; later ones are not used in proofs. */
const MAX_POSITIONS = 8

export interface DisjointContext extends Prover {
  /** Facet ⊆ reader, proven (no differences). */
  subsumed(f: Facet, reader: Located, depth: number, trail: ReadonlySet<object>): boolean
}

export function disjoint(c: DisjointContext, f: Facet, r: Located, depth: number, trail: ReadonlySet<object>): boolean {
  const s = r.schema
  if (s === false) return true
  if (!isObject(s)) return false
  if ((typesOf(s) & facetBits(f)) === 0) return true
  const listed = listedValues(s)
  if (listed) {
    const values = f.values
    if (
      values
        ? values.every((v) => !listed.some((x) => jsonEqual(x, v)))
        : listed.every((v) => (typeBitOf(v) & facetBits(f)) === 0 || !mayBeIn(f, v))
    ) {
      return true
    }
  }
  if (typeof s.$ref === 'string') {
    const res = resolveRef(r, s.$ref)
    const target = res.located?.schema
    if (res.located && !(typeof target === 'object' && trail.has(target))) {
      if (disjoint(c, f, res.located, depth, typeof target === 'object' ? new Set([...trail, target]) : trail)) return true
    }
  }
  if (Array.isArray(s.allOf) && s.allOf.some((x) => disjoint(c, f, child(r, x), depth, trail))) return true
  for (const k of ['anyOf', 'oneOf'] as const) {
    const alts = s[k]
    if (Array.isArray(alts) && alts.every((x) => disjoint(c, f, child(r, x), depth, trail))) return true
  }
  if (s.not !== undefined && c.subsumed(f, child(r, s.not), depth, trail)) return true
  if (f.type === T_NUMBER && numbersApart(f, s)) return true
  if (f.type === T_STRING && stringsApart(f, s)) return true
  if (f.type === T_ARRAY && arraysApart(c, f, r, depth)) return true
  if (f.type === T_OBJECT && objectsApart(c, f, r, depth)) return true
  // The writer branch excludes its `not`s: a reader inside one of them cannot meet it.
  return f.branch.nots.some((n) => c.list([r], n, depth).length === 0)
}

/** Whether `v` may belong to the facet: false only when a simple schema the branch satisfies rejects it (no compiling). */
function mayBeIn(f: Facet, v: JsonValue): boolean {
  const b = f.branch
  const rejects = (l: Located) => quickVerdict(l, v) === false
  return !b.atoms.some(rejects) && !b.origin.some(rejects) && !b.nots.some((n) => quickVerdict(n, v) === true)
}

function readerNumbers(s: SchemaObject): NumberFacts {
  const f: NumberFacts = { lo: undefined, loExclusive: false, hi: undefined, hiExclusive: false, multipleOfs: [] }
  if (typeof s.minimum === 'number') f.lo = s.minimum
  if (typeof s.exclusiveMinimum === 'number' && (f.lo === undefined || s.exclusiveMinimum >= f.lo)) {
    f.lo = s.exclusiveMinimum
    f.loExclusive = true
  }
  if (typeof s.maximum === 'number') f.hi = s.maximum
  if (typeof s.exclusiveMaximum === 'number' && (f.hi === undefined || s.exclusiveMaximum <= f.hi)) {
    f.hi = s.exclusiveMaximum
    f.hiExclusive = true
  }
  return f
}

function numbersApart(f: Facet, s: SchemaObject): boolean {
  const w = numberFactsOf(f.branch)
  const r = readerNumbers(s)
  if (f.integerOnly) {
    const a = integerRange(w)
    const b = integerRange(r)
    return (a.max !== undefined && b.min !== undefined && a.max < b.min) || (b.max !== undefined && a.min !== undefined && b.max < a.min)
  }
  return below(w, r) || below(r, w)
}

/** Every value of `a` is below every value of `b`. */
function below(a: NumberFacts, b: NumberFacts): boolean {
  if (a.hi === undefined || b.lo === undefined) return false
  return a.hi < b.lo || (a.hi === b.lo && (a.hiExclusive || b.loExclusive))
}

function stringsApart(f: Facet, s: SchemaObject): boolean {
  const w = stringFactsOf(f.branch)
  return (typeof s.minLength === 'number' && w.maxLength < s.minLength) || (typeof s.maxLength === 'number' && s.maxLength < w.minLength)
}

function arraysApart(c: DisjointContext, f: Facet, r: Located, depth: number): boolean {
  const s = r.schema as SchemaObject
  const w = arrayFactsOf(f.branch)
  if (typeof s.minItems === 'number' && w.maxItems < s.minItems) return true
  if (typeof s.maxItems === 'number' && s.maxItems < w.minItems) return true
  const prefix = Array.isArray(s.prefixItems) ? s.prefixItems : []
  const present = Math.min(MAX_POSITIONS, Math.max(w.minItems, typeof s.minItems === 'number' ? s.minItems : 0))
  for (let i = 0; i < present; i++) {
    const reader = i < prefix.length ? prefix[i] : s.items
    if (reader === undefined) continue
    if (c.disjointLists(itemSchemasAt(w, i), [child(r, reader)], depth + 1)) return true
  }
  return false
}

function objectsApart(c: DisjointContext, f: Facet, r: Located, depth: number): boolean {
  const s = r.schema as SchemaObject
  const w = objectFactsOf(f.branch)
  const readerRequired = new Set(Array.isArray(s.required) ? s.required.map(String) : [])
  for (const name of new Set([...readerRequired, ...w.required])) {
    const writers = propertySchemasFor(w, name)
    if (readerRequired.has(name) && c.isEmpty(writers, depth + 1)) return true
    const reader = readerPropertySchemas(r, name)
    if (reader.problem || reader.schemas.length === 0) continue
    if (
      c.disjointLists(
        writers,
        reader.schemas.map((x) => x.located),
        depth + 1,
      )
    )
      return true
  }
  return false
}
