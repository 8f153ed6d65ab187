/**
 * Merging the JSDoc refinement tags read by jsdoc-refinements.ts into a derived schema: each tag's
 * value is parsed, checked against the part of the schema it constrains (a string tag needs strings,
 * …), and merged as JSON Schema's type-specific keywords work, so `@format uuid` on `string | null`
 * leaves null allowed. A second bound tightens (`@minimum` on a `Quantity` that has one keeps the
 * higher); a second `format`, `pattern` or `multipleOf` that differs contradicts. A tag on a type that
 * lists its values (`'a' | 'b'`) adds nothing, but each value must satisfy it. Whatever does not fit
 * is returned as a problem for the caller to report, and left out: the schema stays what the type says.
 */
import { ts } from 'ts-morph'
import type { JsonSchema } from '../json/types.js'
import { formatType } from '../schema/compat/values.js'
import { validatorFor } from '../schema/engine.js'
import { REFINEMENT_TAGS, type TagKind } from '../schema/refinement-tags.js'
import { isEmpty, type Problem, type Refinement } from './jsdoc-refinements.js'

const NUMBER = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?$/
/** Keywords a second bound tightens rather than contradicts. */
const LOWER = new Set(['minLength', 'minItems', 'minimum', 'exclusiveMinimum'])
const UPPER = new Set(['maxLength', 'maxItems', 'maximum', 'exclusiveMaximum'])
/** Pairs no value satisfies when the first exceeds (`>`), or reaches (`>=`), the second. */
const BOUNDS: [string, string, '>' | '>='][] = [
  ['minLength', 'maxLength', '>'],
  ['minItems', 'maxItems', '>'],
  ['minimum', 'maximum', '>'],
  ['minimum', 'exclusiveMaximum', '>='],
  ['exclusiveMinimum', 'maximum', '>='],
  ['exclusiveMinimum', 'exclusiveMaximum', '>='],
]

interface Parsed {
  tag: ts.JSDocTag
  name: string
  text: string
  kind: TagKind
  keyword: string
  value: unknown
}

type SchemaObject = { [k: string]: unknown }
/** A `$defs` entry by its `$ref`, once complete (a type still being derived has none yet). */
export type ResolveRef = (ref: string) => JsonSchema | undefined

/**
 * `schema` with `refinement` merged in, and what did not fit. `path` is where `schema` sits in the
 * message (array elements get `[]`). `true` (already reported as underivable) is left as it is.
 */
export function applyRefinement(
  schema: JsonSchema,
  refinement: Refinement,
  path: string,
  resolve: ResolveRef,
): { schema: JsonSchema; problems: Problem[] } {
  const problems: Problem[] = refinement.problems.map((p) => ({ ...p, path }))
  if (schema === true) return { schema, problems }
  let result: JsonSchema = schema
  for (const tag of refinement.tags) {
    const parsed = parse(tag)
    if (typeof parsed === 'string') {
      problems.push({ node: tag, path, why: parsed })
      continue
    }
    const applied = applyTag(result, parsed, { path, problems, resolve })
    if (applied === undefined) {
      const why = `${describe(result, resolve)}, and its JSDoc tag ${show(parsed)} applies to ${plural(parsed.kind)}`
      problems.push({ node: tag, path, why })
    } else result = applied
  }
  if (refinement.items && !isEmpty(refinement.items)) {
    const items = refinement.items
    result = mapArrays(result, (array) => {
      if (array.items === undefined) return array
      const inner = applyRefinement(array.items as JsonSchema, items, `${path}[]`, resolve)
      problems.push(...inner.problems)
      return { ...array, items: inner.schema }
    })
  }
  return { schema: result, problems }
}

/** The tag's keyword and value, or why it cannot be read. */
function parse(tag: ts.JSDocTag): Parsed | string {
  const name = tag.tagName.text
  const spec = REFINEMENT_TAGS.get(name)!
  const text = (ts.getTextOfJSDocComment(tag.comment) ?? '').trim()
  const base = { tag, name, text, kind: spec.kind, keyword: spec.keyword }
  const shown = text === '' ? `@${name}` : `@${name} ${JSON.stringify(text)}`
  switch (spec.value) {
    case 'none':
      return text === '' ? { ...base, value: 'integer' } : `has the JSDoc tag ${shown}, which takes no value`
    case 'flag':
      return text === '' || text === 'true' ? { ...base, value: true } : `has the JSDoc tag ${shown}, which takes no value (or \`true\`)`
    case 'format': {
      const kind = formatType(text)
      if (kind === undefined)
        return `has the JSDoc tag ${shown}, which names no format the schema engine knows (date-time, email, uri, uuid, …)`
      return { ...base, kind, value: text }
    }
    case 'pattern':
      try {
        if (text === '') throw new Error('empty')
        new RegExp(text, 'u')
        return { ...base, value: text }
      } catch {
        return `has the JSDoc tag ${shown}, which is not an ECMAScript regular expression (JSON Schema's pattern syntax)`
      }
    default: {
      const n = NUMBER.test(text) ? Number(text) : Number.NaN
      if (!Number.isFinite(n)) return `has the JSDoc tag ${shown}, whose value is not a number`
      if (spec.value === 'count' && !(Number.isInteger(n) && n >= 0))
        return `has the JSDoc tag ${shown}, whose value is not a whole number >= 0`
      if (spec.value === 'positive' && !(n > 0)) return `has the JSDoc tag ${shown}, whose value is not greater than 0`
      return { ...base, value: n }
    }
  }
}

interface At {
  path: string
  problems: Problem[]
  resolve: ResolveRef
}

/** `schema` with the tag merged into every part it fits, or undefined when it fits none. */
function applyTag(schema: JsonSchema, tag: Parsed, at: At): JsonSchema | undefined {
  const { path, problems } = at
  if (typeof schema === 'boolean') return undefined
  if (Array.isArray(schema.anyOf)) {
    let fitted = false
    const anyOf = (schema.anyOf as JsonSchema[]).map((branch) => {
      const applied = applyTag(branch, tag, at)
      if (applied !== undefined) fitted = true
      return applied ?? branch
    })
    return fitted ? { ...schema, anyOf } : undefined
  }
  if (typeof schema.$ref === 'string') {
    const target = at.resolve(schema.$ref)
    if (target !== undefined && !kindsDeep(target, at.resolve).has(tag.kind)) return undefined
    const why = `is a recursive type, which its JSDoc tag ${show(tag)} cannot refine; tag the properties inside it`
    problems.push({ node: tag.tag, path, why })
    return schema
  }
  if (!kindsOf(schema).has(tag.kind)) return undefined
  if ('const' in schema || Array.isArray(schema.enum)) {
    // The type lists its values: the tag adds nothing, but must hold for each of them.
    const values = 'const' in schema ? [schema.const] : (schema.enum as unknown[])
    const check = validatorFor({ [tag.keyword]: tag.value })
    const broken = values.find((v) => kindOf(v) === tag.kind && !check(v))
    if (broken !== undefined)
      problems.push({ node: tag.tag, path, why: `may be ${JSON.stringify(broken)}, which breaks its JSDoc tag ${show(tag)}` })
    return schema
  }
  const merged: SchemaObject = { ...schema }
  const existing = merged[tag.keyword]
  if (tag.keyword === 'type') {
    merged.type = Array.isArray(merged.type) ? merged.type.map((t) => (t === 'number' ? 'integer' : t)).sort() : 'integer'
  } else if (existing === undefined || existing === tag.value) {
    merged[tag.keyword] = tag.value
  } else if (LOWER.has(tag.keyword)) {
    merged[tag.keyword] = Math.max(existing as number, tag.value as number)
  } else if (UPPER.has(tag.keyword)) {
    merged[tag.keyword] = Math.min(existing as number, tag.value as number)
  } else {
    const why = `has the JSDoc tag ${show(tag)}, which contradicts the ${tag.keyword} ${JSON.stringify(existing)} its type already has`
    problems.push({ node: tag.tag, path, why })
    return schema
  }
  const empty = BOUNDS.find(([lo, hi, op]) => {
    const a = merged[lo]
    const b = merged[hi]
    return typeof a === 'number' && typeof b === 'number' && (op === '>' ? a > b : a >= b)
  })
  if (empty) {
    const why = `has bounds no value satisfies (${empty[0]} ${merged[empty[0]]}, ${empty[1]} ${merged[empty[1]]}) once its JSDoc tag ${show(tag)} is applied`
    problems.push({ node: tag.tag, path, why })
    return schema
  }
  return merged
}

function mapArrays(schema: JsonSchema, f: (array: SchemaObject) => SchemaObject): JsonSchema {
  if (typeof schema === 'boolean') return schema
  if (Array.isArray(schema.anyOf)) return { ...schema, anyOf: (schema.anyOf as JsonSchema[]).map((b) => mapArrays(b, f)) }
  return kindsOf(schema).has('array') && !('enum' in schema) && !('const' in schema) ? f(schema) : schema
}

/** The JSON types a (non-anyOf) schema admits, `integer` counted as `number`. */
function kindsOf(schema: SchemaObject): Set<string> {
  if ('const' in schema) return new Set([kindOf(schema.const)])
  if (Array.isArray(schema.enum)) return new Set(schema.enum.map(kindOf))
  const types = Array.isArray(schema.type) ? schema.type : typeof schema.type === 'string' ? [schema.type] : []
  return new Set(types.map((t: string) => (t === 'integer' ? 'number' : t)))
}

function kindOf(value: unknown): string {
  if (value === null) return 'null'
  if (Array.isArray(value)) return 'array'
  return typeof value
}

/** The JSON types a schema admits, through `anyOf` and complete `$ref`s. */
function kindsDeep(schema: JsonSchema, resolve: ResolveRef, seen = new Set<string>()): Set<string> {
  if (typeof schema === 'boolean') return new Set()
  if (Array.isArray(schema.anyOf)) return new Set((schema.anyOf as JsonSchema[]).flatMap((b) => [...kindsDeep(b, resolve, seen)]))
  if (typeof schema.$ref !== 'string') return kindsOf(schema)
  const target = seen.has(schema.$ref) ? undefined : resolve(schema.$ref)
  return target === undefined ? new Set() : kindsDeep(target, resolve, new Set([...seen, schema.$ref]))
}

function describe(schema: JsonSchema, resolve: ResolveRef): string {
  if (schema === false) return 'is never sent (its type is only undefined)'
  const named = [...kindsDeep(schema, resolve)].sort().map((k) => (k === 'null' ? 'null' : `${/^[aeiou]/.test(k) ? 'an' : 'a'} ${k}`))
  return `is ${named.join(' or ')}`
}

function plural(kind: TagKind): string {
  return kind === 'array' ? 'arrays' : `${kind}s`
}

function show(tag: Parsed): string {
  return tag.text === '' ? `@${tag.name}` : `@${tag.name} ${tag.text}`
}
