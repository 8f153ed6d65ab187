/**
 * A facet is a writer branch restricted to one JSON type. Most JSON Schema keywords constrain one
 * type only, so comparing facet by facet keeps every rule local: "a writer string vs the reader".
 * Facets with few possible values (null, booleans, a short integer range, the empty string) carry
 * them, which lets `enum`/`const` readers be checked value by value.
 */
import type { JsonValue } from '../../json/types.js'
import {
  isAnnotation,
  T_ARRAY,
  T_BOOLEAN,
  T_FRACTION,
  T_INTEGER,
  T_NULL,
  T_NUMBER,
  T_OBJECT,
  T_STRING,
  typeBitOf,
  typeNames,
  typesOf,
} from './keywords.js'
import { jsonEqual, type Located, listedValues } from './normalise.js'
import type { Difference } from './types.js'
import { issuesAt, mayAccept } from './values.js'
import {
  type ArrayFacts,
  arrayFacts,
  type Branch,
  integerRange,
  type NumberFacts,
  numberFacts,
  type ObjectFacts,
  objectFacts,
  type StringFacts,
  stringFacts,
} from './writer.js'

export const FACET_TYPES = [T_NULL, T_BOOLEAN, T_NUMBER, T_STRING, T_ARRAY, T_OBJECT] as const

export interface Facet {
  readonly branch: Branch
  /** One of FACET_TYPES. */
  readonly type: number
  /** Numbers: only integers are allowed. */
  readonly integerOnly: boolean
  /** A finite superset of the facet's values, when one is known. */
  readonly values: JsonValue[] | undefined
}

/** Integer ranges up to this size are enumerated. */
const MAX_ENUMERATED = 64

/** The facet of `b` for `type`, or undefined when it is provably empty by its own bounds. */
export function facetOf(b: Branch, type: number): Facet | undefined {
  if ((b.types & type) === 0) return undefined
  let values: JsonValue[] | undefined
  let integerOnly = false
  switch (type) {
    case T_NULL:
      values = [null]
      break
    case T_BOOLEAN:
      values = [true, false]
      break
    case T_NUMBER: {
      integerOnly = b.integerOnly || (b.types & T_FRACTION) === 0
      const n = numberFactsOf(b)
      if (integerOnly) {
        const { min, max } = integerRange(n)
        if (min !== undefined && max !== undefined) {
          if (min > max) return undefined
          if (max - min < MAX_ENUMERATED) values = range(min, max).filter((v) => n.multipleOfs.every((m) => isMultiple(v, m)))
        }
      } else if (n.lo !== undefined && n.hi !== undefined) {
        if (n.lo > n.hi || (n.lo === n.hi && (n.loExclusive || n.hiExclusive))) return undefined
        if (n.lo === n.hi) values = [n.lo].filter((v) => n.multipleOfs.every((m) => isMultiple(v, m)))
      }
      break
    }
    case T_STRING: {
      const s = stringFactsOf(b)
      if (s.minLength > s.maxLength) return undefined
      if (s.maxLength === 0) values = ['']
      break
    }
    case T_ARRAY: {
      const a = arrayFactsOf(b)
      if (a.minItems > a.maxItems) return undefined
      break
    }
    case T_OBJECT: {
      const o = objectFactsOf(b)
      if (o.minProperties > o.maxProperties) return undefined
      break
    }
  }
  if (values) {
    values = values.filter((v) => !b.nots.some((n) => simplyAccepts(n, v)))
    if (values.length === 0) return undefined
    if (type === T_NUMBER) integerOnly = values.every((v) => Number.isInteger(v))
  }
  return { branch: b, type, integerOnly, values }
}

/** The type bits a facet's values have. */
export function facetBits(f: Facet): number {
  return f.type === T_NUMBER && f.integerOnly ? T_INTEGER : f.type
}

/** `string`, `integer`, `non-integer number`… for messages. */
export function facetName(f: Facet): string {
  return typeNames(f.type === T_NUMBER ? (f.integerOnly ? T_INTEGER : T_NUMBER) : f.type)
}

/** Whether a reader `type` (bits) accepts every value of the facet's type. */
export function typeAccepts(readerTypes: number, f: Facet): boolean {
  if (f.type === T_NUMBER) return f.integerOnly ? (readerTypes & T_INTEGER) !== 0 : (readerTypes & T_NUMBER) === T_NUMBER
  return (readerTypes & f.type) !== 0
}

/**
 * Whether a value listed by the branch's `enum`/`const` can really be sent: valid under everything
 * the branch came from and none of its `not`s. Asked only about values a reader rejects, since it
 * may compile whole writer documents.
 */
export function inBranch(b: Branch, v: JsonValue): boolean {
  return b.atoms.every((a) => mayAccept(a, v)) && b.origin.every((o) => mayAccept(o, v)) && !b.nots.some((n) => surelyAccepts(n, v))
}

/** A `not` made only of `type`/`enum`/`const` decides a value without ajv; anything else is not used here. */
function simplyAccepts(n: Located, v: JsonValue): boolean {
  const s = n.schema
  if (typeof s === 'boolean') return s
  if (!Object.keys(s).every((k) => k === 'type' || k === 'enum' || k === 'const' || k === 'nullable' || isAnnotation(k))) return false
  if ((typesOf(s) & typeBitOf(v)) === 0) return false
  const listed = listedValues(s)
  return listed === undefined || listed.some((x) => jsonEqual(x, v))
}

/** ajv accepts `value` under `l` (and `l` compiles). */
export function surelyAccepts(l: Located, value: JsonValue): boolean {
  const issues = issuesAt(l, value)
  return Array.isArray(issues) && issues.length === 0
}

/** ajv's `multipleOf` check, which is floating point: `x / m` must print as an integer. */
export function isMultiple(x: number, m: number): boolean {
  if (m === 0) return false
  const q = x / m
  return q === Number.parseInt(String(q), 10)
}

function range(min: number, max: number): number[] {
  const out: number[] = []
  for (let v = min; v <= max; v++) out.push(v)
  return out
}

// Facts are computed once per branch.
const numberCache = new WeakMap<Branch, NumberFacts>()
const stringCache = new WeakMap<Branch, StringFacts>()
const arrayCache = new WeakMap<Branch, ArrayFacts>()
const objectCache = new WeakMap<Branch, ObjectFacts>()

function cached<T>(cache: WeakMap<Branch, T>, b: Branch, make: (b: Branch) => T): T {
  let v = cache.get(b)
  if (v === undefined) {
    v = make(b)
    cache.set(b, v)
  }
  return v
}

export const numberFactsOf = (b: Branch) => cached(numberCache, b, numberFacts)
export const stringFactsOf = (b: Branch) => cached(stringCache, b, stringFacts)
export const arrayFactsOf = (b: Branch) => cached(arrayCache, b, arrayFacts)
export const objectFactsOf = (b: Branch) => cached(objectCache, b, objectFacts)

/** What the per-type rules need from the engine: recursion into subschemas. */
export interface Prover {
  /** Differences for "the conjunction of `writers` ⊆ `reader`", pointers relative to the value. */
  list(writers: readonly Located[], reader: Located, depth: number): Difference[]
  /** Whether no value satisfies all of `writers` (proven). */
  isEmpty(writers: readonly Located[], depth: number): boolean
  /** Whether no value satisfies all of `writers` and all of `readers` (proven). */
  disjointLists(writers: readonly Located[], readers: readonly Located[], depth: number): boolean
}
