/**
 * The JSON Schema vocabulary as the engine sees it: which keywords hold subschemas, which only
 * annotate, which it reasons about, which ajv asserts but the engine does not model (and for which
 * JSON types), and the JSON types a schema admits (type arrays, `integer` inside `number`, ajv's
 * `nullable`) as bit sets.
 */
import type { SchemaObject } from './normalise.js'

export const SINGLE_SUBSCHEMA = new Set([
  'items',
  'additionalProperties',
  'not',
  'if',
  'then',
  'else',
  'contains',
  'propertyNames',
  'unevaluatedItems',
  'unevaluatedProperties',
  'additionalItems',
  'contentSchema',
])
export const LIST_SUBSCHEMA = new Set(['allOf', 'anyOf', 'oneOf', 'prefixItems'])
export const MAP_SUBSCHEMA = new Set(['properties', 'patternProperties', 'dependentSchemas', '$defs', 'definitions', 'dependencies'])

/** Keywords that never change which instances are valid. */
const ANNOTATIONS = new Set([
  '$schema',
  '$id',
  '$anchor',
  '$dynamicAnchor',
  '$recursiveAnchor',
  '$vocabulary',
  '$comment',
  '$defs',
  'definitions',
  'title',
  'description',
  'examples',
  'default',
  'deprecated',
  'readOnly',
  'writeOnly',
  // The content vocabulary is annotation-only in 2020-12 (and ajv does not assert it).
  'contentMediaType',
  'contentEncoding',
  'contentSchema',
  // OpenAPI/AsyncAPI hint naming the property that tells `oneOf` alternatives apart; it adds no constraint.
  'discriminator',
])

export function isAnnotation(keyword: string): boolean {
  return ANNOTATIONS.has(keyword) || keyword.startsWith('x-')
}

/** Keywords the engine reasons about. */
const MODELLED = new Set([
  'type',
  'nullable',
  'enum',
  'const',
  '$ref',
  'allOf',
  'anyOf',
  'oneOf',
  'not',
  'minimum',
  'maximum',
  'exclusiveMinimum',
  'exclusiveMaximum',
  'multipleOf',
  'minLength',
  'maxLength',
  'pattern',
  'format',
  'items',
  'prefixItems',
  'minItems',
  'maxItems',
  'uniqueItems',
  'properties',
  'patternProperties',
  'additionalProperties',
  'required',
  'minProperties',
  'maxProperties',
])

/**
 * Keywords ajv asserts that the engine does not model, grouped as they act together, with the JSON
 * types they constrain (undefined = every type). In a reader they are accepted only when the writer
 * carries the same group with equal values; `sibling-dependent` ones (unevaluated*) never are.
 */
export interface UnmodelledGroup {
  readonly keywords: readonly string[]
  readonly types: number | undefined
  readonly siblingDependent: boolean
}

export const T_NULL = 1
export const T_BOOLEAN = 2
export const T_INTEGER = 4
/** Numbers that are not integers. `number` is T_INTEGER | T_FRACTION. */
export const T_FRACTION = 8
export const T_STRING = 16
export const T_ARRAY = 32
export const T_OBJECT = 64
export const T_NUMBER = T_INTEGER | T_FRACTION
export const T_ALL = 127

const UNMODELLED_GROUPS: Record<string, UnmodelledGroup> = {
  if: { keywords: ['if', 'then', 'else'], types: undefined, siblingDependent: false },
  contains: { keywords: ['contains', 'minContains', 'maxContains'], types: T_ARRAY, siblingDependent: false },
  propertyNames: { keywords: ['propertyNames'], types: T_OBJECT, siblingDependent: false },
  dependentRequired: { keywords: ['dependentRequired'], types: T_OBJECT, siblingDependent: false },
  dependentSchemas: { keywords: ['dependentSchemas'], types: T_OBJECT, siblingDependent: false },
  dependencies: { keywords: ['dependencies'], types: T_OBJECT, siblingDependent: false },
  unevaluatedItems: { keywords: ['unevaluatedItems'], types: T_ARRAY, siblingDependent: true },
  unevaluatedProperties: { keywords: ['unevaluatedProperties'], types: T_OBJECT, siblingDependent: true },
  $dynamicRef: { keywords: ['$dynamicRef'], types: undefined, siblingDependent: true },
  $recursiveRef: { keywords: ['$recursiveRef'], types: undefined, siblingDependent: true },
  // ajv-formats' comparison keywords (engine.ts registers them with the formats).
  formatMinimum: { keywords: ['formatMinimum'], types: undefined, siblingDependent: false },
  formatMaximum: { keywords: ['formatMaximum'], types: undefined, siblingDependent: false },
  formatExclusiveMinimum: { keywords: ['formatExclusiveMinimum'], types: undefined, siblingDependent: false },
  formatExclusiveMaximum: { keywords: ['formatExclusiveMaximum'], types: undefined, siblingDependent: false },
}
/** Only meaningful next to their group's leading keyword; alone, ajv ignores them. */
const GROUP_FOLLOWERS = new Set(['then', 'else', 'minContains', 'maxContains'])

export type KeywordClass = 'annotation' | 'modelled' | 'unmodelled' | 'follower' | 'unknown'

export function classify(keyword: string): KeywordClass {
  if (MODELLED.has(keyword)) return 'modelled'
  if (isAnnotation(keyword)) return 'annotation'
  if (keyword in UNMODELLED_GROUPS) return 'unmodelled'
  if (GROUP_FOLLOWERS.has(keyword)) return 'follower'
  return 'unknown'
}

/** Groups of keywords in `schema` the engine does not model and that apply to type bit `type`. */
export function unmodelledGroups(schema: SchemaObject, type: number): { name: string; group: UnmodelledGroup }[] {
  const out: { name: string; group: UnmodelledGroup }[] = []
  for (const k of Object.keys(schema)) {
    const c = classify(k)
    if (c === 'unmodelled') {
      const group = UNMODELLED_GROUPS[k]!
      if (group.types === undefined || (group.types & type) !== 0) out.push({ name: k, group })
    } else if (c === 'unknown') {
      out.push({ name: k, group: { keywords: [k], types: undefined, siblingDependent: false } })
    }
  }
  return out
}

// ---- types -----------------------------------------------------------------------------------

const TYPE_BITS: Record<string, number> = {
  null: T_NULL,
  boolean: T_BOOLEAN,
  integer: T_INTEGER,
  number: T_NUMBER,
  string: T_STRING,
  array: T_ARRAY,
  object: T_OBJECT,
}

/** The JSON types `schema`'s own `type` keyword admits, as ajv reads it (`nullable: true` adds null). */
export function typesOf(schema: SchemaObject): number {
  const t = schema.type
  if (t === undefined) return T_ALL
  let bits = 0
  for (const name of Array.isArray(t) ? t : [t]) bits |= TYPE_BITS[name as string] ?? 0
  if (schema.nullable === true) bits |= T_NULL
  return bits
}

export function typeBitOf(value: unknown): number {
  if (value === null) return T_NULL
  switch (typeof value) {
    case 'boolean':
      return T_BOOLEAN
    case 'number':
      return Number.isInteger(value) ? T_INTEGER : T_FRACTION
    case 'string':
      return T_STRING
    case 'object':
      return Array.isArray(value) ? T_ARRAY : T_OBJECT
    default:
      return 0
  }
}

/** `integer | string`, `number`, … for messages. */
export function typeNames(bits: number): string {
  const names: string[] = []
  if (bits & T_NULL) names.push('null')
  if (bits & T_BOOLEAN) names.push('boolean')
  if ((bits & T_NUMBER) === T_NUMBER) names.push('number')
  else if (bits & T_INTEGER) names.push('integer')
  else if (bits & T_FRACTION) names.push('non-integer number')
  if (bits & T_STRING) names.push('string')
  if (bits & T_ARRAY) names.push('array')
  if (bits & T_OBJECT) names.push('object')
  return names.length === 0 ? 'nothing' : names.join(' | ')
}
