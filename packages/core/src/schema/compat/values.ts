/**
 * Exact answers for concrete values. When the writer allows only finitely many values (`enum`,
 * `const`), the engine does not reason about the reader: it asks ajv — the same engine.ts setup that
 * validates messages — whether each value is valid. A subschema is not a document, so its local
 * `$ref`s are made to point into a copy of its document kept under `$defs`.
 */
import { createRequire } from 'node:module'
import type { JsonSchema, JsonValue } from '../../json/types.js'
import { type ValidationIssue, validate } from '../engine.js'
import { classify, LIST_SUBSCHEMA, MAP_SUBSCHEMA, SINGLE_SUBSCHEMA } from './keywords.js'
import { type Doc, forEachSubschema, isObject, jsonEqual, keyOf, type Located, resolveRef } from './normalise.js'

const load = createRequire(import.meta.url)

const DOC_KEY = '__treaty_compat_document'
/** Keywords whose values are data, never schemas: a `$ref` key inside them is not a reference. */
const DATA_KEYWORDS = new Set(['const', 'enum', 'examples', 'default'])

// Per document, so nothing outlives the schemas it was made from.
const standalone = new WeakMap<Doc, WeakMap<object, JsonSchema>>()
const copies = new WeakMap<Doc, JsonSchema>()
const scans = new WeakMap<Doc, WeakMap<object, string | undefined>>()

function perDoc<T>(table: WeakMap<Doc, WeakMap<object, T>>, doc: Doc): WeakMap<object, T> {
  let t = table.get(doc)
  if (!t) {
    t = new WeakMap()
    table.set(doc, t)
  }
  return t
}

/** ajv's issues for `value` under `l`, or the reason the subschema cannot be compiled. */
export function issuesAt(l: Located, value: JsonValue): ValidationIssue[] | { error: string } {
  const quick = quickIssues(l.schema, value)
  if (quick) return quick
  try {
    return validate(standaloneSchema(l), value)
  } catch (e) {
    return { error: (e as Error).message }
  }
}

/** ajv's verdict when it can be had without compiling: true/false, or undefined when it cannot. */
export function quickVerdict(l: Located, value: JsonValue): boolean | undefined {
  const quick = quickIssues(l.schema, value)
  return quick === undefined ? undefined : quick.length === 0
}

/** Whether ajv accepts `value` under `l`; a subschema ajv cannot compile counts as accepting. */
export function mayAccept(l: Located, value: JsonValue): boolean {
  const issues = issuesAt(l, value)
  return !Array.isArray(issues) || issues.length === 0
}

function standaloneSchema(l: Located): JsonSchema {
  if (typeof l.schema === 'boolean') return l.schema
  const table = perDoc(standalone, l.doc)
  let s = table.get(l.schema)
  if (s === undefined) {
    // A document root resolves its own `$ref`s (engine.ts drops a root `$id`, so only without one).
    const isRoot = l.schema === l.doc.root && l.doc.baseId === undefined
    s = isRoot || !hasRef(l.schema) ? l.schema : { $defs: { [DOC_KEY]: documentCopy(l.doc) }, allOf: [rewrite(l.schema, l.doc)] }
    table.set(l.schema, s)
  }
  return s
}

function hasRef(schema: JsonSchema): boolean {
  let found = false
  forEachSubschema(schema, (sub) => {
    if (isObject(sub) && (typeof sub.$ref === 'string' || typeof sub.$dynamicRef === 'string')) found = true
  })
  return found
}

function documentCopy(doc: Doc): JsonSchema {
  let copy = copies.get(doc)
  if (copy === undefined) {
    copy = rewrite(doc.root, doc)
    if (isObject(copy)) {
      const { $id: _id, $schema: _schema, ...rest } = copy
      copy = rest
    }
    copies.set(doc, copy)
  }
  return copy
}

/** A copy of `node` whose local `$ref`s point into the document copy under `$defs`. */
function rewrite(node: unknown, doc: Doc): JsonSchema {
  if (Array.isArray(node)) return node.map((n) => rewrite(n, doc)) as unknown as JsonSchema
  if (!isObject(node)) return node as JsonSchema
  const out: Record<string, unknown> = {}
  for (const [k, v] of Object.entries(node)) {
    if (k === '$ref' && typeof v === 'string') out[k] = rewriteRef(v, doc)
    else if (DATA_KEYWORDS.has(k)) out[k] = v
    else out[k] = typeof v === 'object' && v !== null ? rewrite(v, doc) : v
  }
  return out
}

function rewriteRef(ref: string, doc: Doc): string {
  let fragment: string | undefined
  if (ref.startsWith('#')) fragment = ref.slice(1)
  else if (doc.baseId !== undefined && ref.startsWith(`${doc.baseId}#`)) fragment = ref.slice(doc.baseId.length + 1)
  if (fragment === undefined || (fragment !== '' && !fragment.startsWith('/'))) return ref
  return `#/$defs/${DOC_KEY}${fragment}`
}

// ---- what ajv evaluates that the engine's policy does not accept ------------------------------

let formatTypes: Map<string, 'string' | 'number'> | undefined

/** Which JSON type a format applies to in ajv-formats; undefined for a format ajv does not know (and ignores). */
export function formatType(format: string): 'string' | 'number' | undefined {
  // Built on first use: loading ajv-formats at import would slow every `import '@treaty/core'`.
  formatTypes ??= new Map(
    Object.entries((load('ajv-formats/dist/formats.js') as typeof import('ajv-formats/dist/formats.js')).fullFormats).map(([name, def]) => [
      name,
      isObject(def) && (def as { type?: string }).type === 'number' ? 'number' : 'string',
    ]),
  )
  return formatTypes.get(format)
}

/**
 * Why ajv's verdict on a reader subschema cannot be trusted as the engine's answer: an unknown
 * keyword or format (ajv ignores it, another validator might not), a `$ref` that does not resolve
 * locally, or a dynamic reference. Undefined when there is none.
 */
export function readerProblem(l: Located): string | undefined {
  if (typeof l.schema === 'boolean') return undefined
  const table = perDoc(scans, l.doc)
  if (table.has(l.schema)) return table.get(l.schema)
  const seen = new Set<string>()
  const visit = (at: Located): string | undefined => {
    const key = keyOf(at)
    if (seen.has(key)) return undefined
    seen.add(key)
    return scanNode(at, visit)
  }
  const problem = visit(l)
  table.set(l.schema, problem)
  return problem
}

function scanNode(at: Located, visit: (l: Located) => string | undefined): string | undefined {
  const s = at.schema
  if (!isObject(s)) return undefined
  for (const [k, v] of Object.entries(s)) {
    const c = classify(k)
    if (c === 'unknown') return `the reader uses the unknown keyword "${k}"`
    if (k === '$dynamicRef' || k === '$recursiveRef') return `the reader uses ${k}, which is not resolved statically`
    if (k === 'format' && typeof v === 'string' && formatType(v) === undefined) return `the reader uses the unknown format "${v}"`
    let problem: string | undefined
    if (k === '$ref' && typeof v === 'string') {
      const r = resolveRef(at, v)
      problem = r.located ? visit(r.located) : `the reader's ${r.problem}`
    } else if (SINGLE_SUBSCHEMA.has(k)) problem = visit({ schema: v as JsonSchema, doc: at.doc })
    else if (LIST_SUBSCHEMA.has(k) && Array.isArray(v)) {
      for (const item of v) problem ??= visit({ schema: item as JsonSchema, doc: at.doc })
    } else if (MAP_SUBSCHEMA.has(k) && isObject(v) && k !== '$defs' && k !== 'definitions') {
      for (const item of Object.values(v)) if (!Array.isArray(item)) problem ??= visit({ schema: item as JsonSchema, doc: at.doc })
    }
    if (problem) return problem
  }
  return undefined
}

// ---- the common small case without compiling ---------------------------------------------------

const QUICK_KEYWORDS = new Set([
  'type',
  'nullable',
  'enum',
  'const',
  'minLength',
  'maxLength',
  'minimum',
  'maximum',
  'exclusiveMinimum',
  'exclusiveMaximum',
  'multipleOf',
])

/**
 * ajv's verdict, computed directly, for schemas made only of type/enum/const and scalar bounds
 * (most readers a writer's `enum` meets); undefined for anything else. At most one issue.
 */
function quickIssues(schema: JsonSchema, v: JsonValue): ValidationIssue[] | undefined {
  if (typeof schema === 'boolean') return schema ? [] : [issue('false schema', 'nothing (false schema)')]
  for (const k of Object.keys(schema)) if (!QUICK_KEYWORDS.has(k) && classify(k) !== 'annotation') return undefined
  if (schema.nullable !== undefined && schema.type === undefined) return undefined
  if (schema.type !== undefined) {
    const types = [schema.type].flat() as string[]
    if (schema.nullable === true) types.push('null')
    if (!types.some((t) => hasType(v, t))) return [issue('type', types.join(' | '))]
  }
  if ('const' in schema && !jsonEqual(schema.const, v)) return [issue('const', `exactly ${JSON.stringify(schema.const)}`)]
  if (Array.isArray(schema.enum) && !schema.enum.some((x) => jsonEqual(x, v))) {
    return [issue('enum', `one of ${schema.enum.map((x) => JSON.stringify(x)).join(', ')}`)]
  }
  if (typeof v === 'string') {
    const length = [...v].length
    if (typeof schema.minLength === 'number' && length < schema.minLength)
      return [issue('minLength', `string of at least ${schema.minLength} characters`)]
    if (typeof schema.maxLength === 'number' && length > schema.maxLength)
      return [issue('maxLength', `string of at most ${schema.maxLength} characters`)]
  }
  if (typeof v === 'number') {
    const s = schema
    if (typeof s.minimum === 'number' && !(v >= s.minimum)) return [issue('minimum', `number >= ${s.minimum}`)]
    if (typeof s.exclusiveMinimum === 'number' && !(v > s.exclusiveMinimum))
      return [issue('exclusiveMinimum', `number > ${s.exclusiveMinimum}`)]
    if (typeof s.maximum === 'number' && !(v <= s.maximum)) return [issue('maximum', `number <= ${s.maximum}`)]
    if (typeof s.exclusiveMaximum === 'number' && !(v < s.exclusiveMaximum))
      return [issue('exclusiveMaximum', `number < ${s.exclusiveMaximum}`)]
    if (typeof s.multipleOf === 'number') {
      const q = v / s.multipleOf
      if (s.multipleOf === 0 || q !== Number.parseInt(String(q), 10)) return [issue('multipleOf', `multiple of ${s.multipleOf}`)]
    }
  }
  return []
}

function hasType(v: JsonValue, t: string): boolean {
  switch (t) {
    case 'null':
      return v === null
    case 'integer':
      return typeof v === 'number' && Number.isInteger(v)
    case 'number':
      return typeof v === 'number'
    case 'array':
      return Array.isArray(v)
    case 'object':
      return v !== null && typeof v === 'object' && !Array.isArray(v)
    default:
      return typeof v === t
  }
}

function issue(keyword: string, expected: string): ValidationIssue {
  return { pointer: '', keyword, expected, schemaPath: `#/${keyword}` }
}
