/**
 * The one place where older drafts' keywords are rewritten into 2020-12, the form the compatibility
 * engine, example generation and contracts understand (and back to draft-07 for AsyncAPI export, whose
 * default schema format is a draft-07 superset). Each rewrite keeps the set of valid instances:
 * - tuple `items: [..]` + `additionalItems` → `prefixItems` + `items`
 * - `dependencies` → `dependentRequired` (arrays) / `dependentSchemas` (schemas)
 * - draft-04 boolean `exclusiveMinimum`/`exclusiveMaximum` → the numeric forms
 * - `definitions` → `$defs` (and the `$ref`s that point into them)
 * - 2019-09 `$recursiveRef`/`$recursiveAnchor` → `$dynamicRef`/`$dynamicAnchor`
 * A `$ref`'s siblings are kept: ajv (the validator the checker must agree with) applies them in every
 * draft, although drafts before 2019-09 say to ignore them.
 */
import type { JsonSchema } from '../json/types.js'
import { type Draft, draftOf } from './drafts.js'

type Obj = { [keyword: string]: unknown }

const SCHEMA_MAPS = ['properties', 'patternProperties', '$defs', 'definitions', 'dependentSchemas']
const SCHEMA_LISTS = ['allOf', 'anyOf', 'oneOf', 'prefixItems']
const SCHEMA_SINGLES = [
  'additionalProperties',
  'additionalItems',
  'unevaluatedProperties',
  'unevaluatedItems',
  'propertyNames',
  'contains',
  'not',
  'if',
  'then',
  'else',
  'contentSchema',
]
/** The anchor name a rewritten `$recursiveAnchor: true` gets; `$recursiveRef: "#"` points at it. */
const RECURSIVE_ANCHOR = 'treatyRecursive'

function isObj(v: unknown): v is Obj {
  return v !== null && typeof v === 'object' && !Array.isArray(v)
}

/**
 * `schema` in 2020-12 form. `fallback` is the draft assumed when the schema has no `$schema` (2020-12
 * inside a contract; an imported AsyncAPI document says draft-07). Returns the schema itself when it
 * already is 2020-12; an unknown `$schema` is left for the engine to reject.
 */
export function toDraft2020(schema: JsonSchema, fallback: Draft = '2020-12'): JsonSchema {
  const draft = draftOf(schema, fallback)
  if (draft === '2020-12' || draft === 'unknown' || !isObj(schema)) return schema
  // Without `$schema` the result reads as 2020-12 everywhere (contracts, the engine, the checker).
  return up(schema, draft) as Obj
}

function up(schema: unknown, draft: Exclude<Draft, '2020-12'>): unknown {
  if (!isObj(schema)) return schema
  const out: Obj = {}
  for (const [k, v] of Object.entries(schema)) {
    if (k === '$schema' || k === 'additionalItems' || k === 'dependencies') continue
    if (k === 'id' && draft === 'draft-04') continue
    if (k === '$ref' && typeof v === 'string') out.$ref = rewriteRef(v)
    else if (k === '$recursiveRef' && v === '#') out.$dynamicRef = `#${RECURSIVE_ANCHOR}`
    else if (k === '$recursiveAnchor') {
      if (v === true) out.$dynamicAnchor = RECURSIVE_ANCHOR
    } else if (k === 'items') {
      if (Array.isArray(v)) {
        out.prefixItems = v.map((s) => up(s, draft))
        if ('additionalItems' in schema) out.items = up(schema.additionalItems, draft)
      } else out.items = up(v, draft)
    } else if (SCHEMA_MAPS.includes(k)) out[k === 'definitions' ? '$defs' : k] = mapValues(v, (s) => up(s, draft))
    else if (SCHEMA_LISTS.includes(k) && Array.isArray(v)) out[k] = v.map((s) => up(s, draft))
    else if (SCHEMA_SINGLES.includes(k)) out[k] = up(v, draft)
    else out[k] = v
  }
  if (isObj(schema.dependencies)) {
    for (const [prop, dep] of Object.entries(schema.dependencies)) {
      const key = Array.isArray(dep) ? 'dependentRequired' : 'dependentSchemas'
      out[key] = { ...(isObj(out[key]) ? out[key] : {}), [prop]: Array.isArray(dep) ? dep : up(dep, draft) }
    }
  }
  if (draft === 'draft-04') fixDraft04Bounds(out)
  return out
}

/** draft-04: `exclusiveMinimum: true` makes `minimum` exclusive; `false` is the default. */
function fixDraft04Bounds(out: Obj): void {
  for (const [flag, bound] of [
    ['exclusiveMinimum', 'minimum'],
    ['exclusiveMaximum', 'maximum'],
  ] as const) {
    if (typeof out[flag] !== 'boolean') continue
    if (out[flag] === true && typeof out[bound] === 'number') {
      out[flag] = out[bound]
      delete out[bound]
    } else delete out[flag]
  }
}

/** A local `$ref` follows the keywords it points through to their new names. */
function rewriteRef(ref: string): string {
  if (!ref.startsWith('#/')) return ref
  return ref
    .replace(/\/definitions\//g, '/$defs/')
    .replace(/\/items\/(\d+)(?=\/|$)/g, '/prefixItems/$1')
    .replace(/\/dependencies\//g, '/dependentSchemas/')
}

function mapValues(v: unknown, f: (s: unknown) => unknown): unknown {
  if (!isObj(v)) return v
  return Object.fromEntries(Object.entries(v).map(([k, s]) => [k, f(s)]))
}

/**
 * A 2020-12 schema in draft-07 form, for documents whose schema format is draft-07 (AsyncAPI 3.0's
 * default). Throws a plain Error naming the keyword when the schema uses one draft-07 has no form for
 * (`$dynamicRef`, `unevaluated*`), so the caller reports it with its own path.
 */
export function toDraft07(schema: JsonSchema): JsonSchema {
  if (!isObj(schema)) return schema
  const out = down(schema, '') as Obj
  delete out.$schema
  return out
}

function down(schema: unknown, at: string): unknown {
  if (!isObj(schema)) return schema
  const out: Obj = {}
  for (const [k, v] of Object.entries(schema)) {
    const here = `${at}/${k}`
    if (k === '$dynamicRef' || k === '$dynamicAnchor' || k === 'unevaluatedProperties' || k === 'unevaluatedItems') {
      throw new Error(`${here}: draft-07 has no ${k}`)
    }
    if (k === '$schema') continue
    if (k === '$defs') out.definitions = mapDown(v, here)
    else if (k === '$ref' && typeof v === 'string') out.$ref = refDown(v)
    else if (k === 'prefixItems' && Array.isArray(v)) {
      out.items = v.map((s, i) => down(s, `${here}/${i}`))
      if ('items' in schema) out.additionalItems = down(schema.items, `${at}/items`)
    } else if (k === 'items') {
      if (!('prefixItems' in schema)) out.items = down(v, here)
    } else if (k === 'dependentRequired' || k === 'dependentSchemas') {
      out.dependencies = { ...(isObj(out.dependencies) ? out.dependencies : {}), ...(mapDown(v, here) as Obj) }
    } else if (SCHEMA_MAPS.includes(k)) out[k] = mapDown(v, here)
    else if (SCHEMA_LISTS.includes(k) && Array.isArray(v)) out[k] = v.map((s, i) => down(s, `${here}/${i}`))
    else if (SCHEMA_SINGLES.includes(k)) out[k] = down(v, here)
    else out[k] = v
  }
  if ('$ref' in out && Object.keys(out).length > 1) {
    // draft-07 ignores a $ref's siblings: keep their meaning by moving the $ref into an allOf.
    const { $ref, definitions, ...rest } = out
    return { ...(definitions ? { definitions } : {}), allOf: [{ $ref }, rest] }
  }
  return out
}

function refDown(ref: string): string {
  if (!ref.startsWith('#/')) return ref
  return ref
    .replace(/\/\$defs\//g, '/definitions/')
    .replace(/\/prefixItems\/(\d+)(?=\/|$)/g, '/items/$1')
    .replace(/\/dependentSchemas\//g, '/dependencies/')
}

function mapDown(v: unknown, at: string): unknown {
  if (!isObj(v)) return v
  return Object.fromEntries(Object.entries(v).map(([k, s]) => [k, down(s, `${at}/${k}`)]))
}
