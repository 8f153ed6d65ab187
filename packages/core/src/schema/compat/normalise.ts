/**
 * Where a subschema lives: its document (so local `$ref`s resolve there, including recursive ones),
 * whether ajv could compile the document at all, and stable keys for the engine's memo tables.
 */

import { fragmentToPointer, resolvePointer } from '../../json/pointer.js'
import type { JsonSchema, JsonValue } from '../../json/types.js'
import { patternMatches } from '../regex.js'
import { LIST_SUBSCHEMA, MAP_SUBSCHEMA, SINGLE_SUBSCHEMA } from './keywords.js'

export type SchemaObject = { [keyword: string]: unknown }

/** A document: the root local `$ref`s resolve against. */
export interface Doc {
  readonly id: number
  readonly root: JsonSchema
  /** The root's `$id`, so `$ref: "<root $id>#/…"` resolves locally too. */
  readonly baseId: string | undefined
  /** Set when `$ref`s cannot be resolved by plain JSON pointers (an embedded `$id`). */
  readonly problem: string | undefined
}

/** A subschema together with its document. */
export interface Located {
  readonly schema: JsonSchema
  readonly doc: Doc
}

let nextDocId = 0
const docsByRoot = new WeakMap<object, Doc>()

export function docFor(root: JsonSchema): Doc {
  if (typeof root !== 'object') return { id: nextDocId++, root, baseId: undefined, problem: undefined }
  let doc = docsByRoot.get(root)
  if (!doc) {
    const baseId = typeof root.$id === 'string' ? root.$id.replace(/#$/, '') : undefined
    doc = { id: nextDocId++, root, baseId, problem: embeddedIdProblem(root) }
    docsByRoot.set(root, doc)
  }
  return doc
}

export function locate(doc: Doc, schema: JsonSchema = doc.root): Located {
  return { schema, doc }
}

export function child(parent: Located, schema: unknown): Located {
  return { schema: schema as JsonSchema, doc: parent.doc }
}

export const FALSE: Located = { schema: false, doc: docFor(false) }

export function isObject(value: unknown): value is SchemaObject {
  return value !== null && typeof value === 'object' && !Array.isArray(value)
}

// ---- $ref ------------------------------------------------------------------------------------

export type Resolved = { located: Located; problem?: undefined } | { located?: undefined; problem: string }

/** Resolves a local `$ref` (`#`, `#/json/pointer`, or the root `$id` followed by one). */
export function resolveRef(from: Located, ref: string): Resolved {
  const { doc } = from
  if (doc.problem) return { problem: doc.problem }
  let fragment: string | undefined
  if (ref.startsWith('#')) fragment = ref
  else if (doc.baseId !== undefined && (ref === doc.baseId || ref.startsWith(`${doc.baseId}#`))) {
    fragment = ref.slice(doc.baseId.length)
  }
  if (fragment === undefined) return { problem: `$ref "${ref}" points outside the schema` }
  if (fragment !== '' && fragment !== '#' && !fragment.startsWith('#/')) {
    return { problem: `$ref "${ref}" names an anchor; only JSON pointers are resolved` }
  }
  const pointer = fragmentToPointer(fragment)
  if (pointer === undefined) return { problem: `$ref "${ref}" is not a valid URI fragment` }
  const node = resolvePointer(doc.root, pointer)
  if (node === undefined) return { problem: `$ref "${ref}" does not resolve in the schema` }
  if (typeof node !== 'boolean' && !isObject(node)) return { problem: `$ref "${ref}" does not point to a schema` }
  return { located: { schema: node, doc } }
}

const usability = new WeakMap<Doc, string | undefined>()

/**
 * Why ajv could not compile the document, found without compiling it: a `$ref` that does not
 * resolve locally (external, anchor, missing, or under an embedded `$id`), `nullable` without a
 * `type` to extend (or contradicting it), a pattern that is not a valid regular expression.
 */
export function unusable(doc: Doc): string | undefined {
  if (typeof doc.root === 'boolean') return undefined
  if (usability.has(doc)) return usability.get(doc)
  let problem: string | undefined
  forEachSubschema(doc.root, (sub) => {
    if (problem !== undefined || !isObject(sub)) return
    if (typeof sub.$ref === 'string') {
      const r = resolveRef({ schema: sub, doc }, sub.$ref)
      if (r.problem) problem = r.problem
    }
    if (sub.nullable !== undefined && (sub.type === undefined || (sub.nullable === false && [sub.type].flat().includes('null')))) {
      problem = `"nullable": ${String(sub.nullable)} needs a "type" it can extend (ajv rejects it)`
    }
    const patterns = [sub.pattern, ...(isObject(sub.patternProperties) ? Object.keys(sub.patternProperties) : [])]
    for (const p of patterns) {
      if (typeof p === 'string' && matches(p, '') === undefined) problem = `/${p}/ is not a valid regular expression`
    }
  })
  usability.set(doc, problem)
  return problem
}

function embeddedIdProblem(root: SchemaObject): string | undefined {
  let found: string | undefined
  forEachSubschema(root, (sub) => {
    if (found === undefined && sub !== root && isObject(sub) && typeof sub.$id === 'string') {
      found = `the schema embeds "$id": "${sub.$id}", which changes how $refs resolve`
    }
  })
  return found
}

/** Calls `fn` on `schema` and every subschema under it (not following `$ref`). */
export function forEachSubschema(schema: unknown, fn: (sub: JsonSchema) => void): void {
  if (typeof schema === 'boolean') {
    fn(schema)
    return
  }
  if (!isObject(schema)) return
  fn(schema)
  for (const [k, v] of Object.entries(schema)) {
    if (SINGLE_SUBSCHEMA.has(k)) forEachSubschema(v, fn)
    else if (LIST_SUBSCHEMA.has(k) && Array.isArray(v)) for (const item of v) forEachSubschema(item, fn)
    else if (MAP_SUBSCHEMA.has(k) && isObject(v)) for (const item of Object.values(v)) forEachSubschema(item, fn)
  }
}

// ---- keys and small helpers --------------------------------------------------------------------

let nextObjectId = 0
const objectIds = new WeakMap<object, number>()

/** Stable key of a located subschema (identity of the object within its document). */
export function keyOf(l: Located): string {
  if (typeof l.schema === 'boolean') return l.schema ? 'T' : 'F'
  let id = objectIds.get(l.schema)
  if (id === undefined) {
    id = nextObjectId++
    objectIds.set(l.schema, id)
  }
  return `${l.doc.id}.${id}`
}

/** Key of a conjunction of subschemas: order and repeats do not matter. */
export function keyOfList(list: readonly Located[]): string {
  if (list.length === 1) return keyOf(list[0]!)
  return [...new Set(list.map(keyOf))].sort().join(',')
}

/** Whether `name` matches `pattern` as ajv tests it (same linear-time engine); undefined when it does not compile. */
export function matches(pattern: string, name: string): boolean | undefined {
  return patternMatches(pattern, name)
}

/** Deep equality of JSON values (object key order ignored), as `enum`/`const` compare. */
export function jsonEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true
  if (typeof a !== typeof b || a === null || b === null || typeof a !== 'object') return false
  if (Array.isArray(a) !== Array.isArray(b)) return false
  if (Array.isArray(a)) {
    const bb = b as unknown[]
    return a.length === bb.length && a.every((v, i) => jsonEqual(v, bb[i]))
  }
  const ao = a as Record<string, unknown>
  const bo = b as Record<string, unknown>
  const ak = Object.keys(ao)
  if (ak.length !== Object.keys(bo).length) return false
  return ak.every((k) => Object.hasOwn(bo, k) && jsonEqual(ao[k], bo[k]))
}

/** The values an `enum`/`const` pair allows, or undefined when unrestricted. */
export function listedValues(schema: SchemaObject): JsonValue[] | undefined {
  let values: JsonValue[] | undefined
  if ('const' in schema) values = [schema.const as JsonValue]
  if (Array.isArray(schema.enum)) {
    const e = schema.enum as JsonValue[]
    values = values === undefined ? [...e] : values.filter((v) => e.some((x) => jsonEqual(v, x)))
  }
  return values
}
