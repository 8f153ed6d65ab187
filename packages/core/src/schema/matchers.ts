/**
 * Pact-style matchers. Each compiles to a JSON Schema 2020-12 fragment plus an example, and carries
 * the TypeScript type of the values it accepts, so a handler's `message` is typed from its contract.
 *
 * Templates mix matchers with plain values: a plain primitive means "exactly this value" (as in Pact),
 * a plain object means "an object with these properties" (extra properties allowed: consumers are
 * tolerant readers), a plain array means "exactly these items, in this order".
 */

import { ErrorCodes, TreatyError, withHintShown } from '../errors.js'
import type { JsonSchema, JsonValue } from '../json/types.js'
import { validate } from './engine.js'
import { conforms } from './interpret.js'

const MATCHER = Symbol.for('treaty.matcher')

export interface Matcher<T> {
  readonly [MATCHER]: true
  readonly kind: string
  readonly schema: JsonSchema
  readonly example: JsonValue
  readonly optional: boolean
  /** Phantom: the type of values this matcher accepts. Never set at run time. */
  readonly __type?: T
}

export interface OptionalMatcher<T> extends Matcher<T> {
  readonly optional: true
}

export function isMatcher(value: unknown): value is Matcher<unknown> {
  return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[MATCHER] === true
}

type Primitive = string | number | boolean | null
type Widen<T> = T extends string ? string : T extends number ? number : T extends boolean ? boolean : T
type Simplify<T> = { [K in keyof T]: T[K] } & {}

/** The TypeScript type of the values a template accepts. */
export type Infer<T> =
  T extends Matcher<infer U>
    ? U
    : T extends readonly unknown[]
      ? { -readonly [K in keyof T]: Infer<T[K]> }
      : T extends Primitive
        ? Widen<T>
        : T extends object
          ? Simplify<
              { -readonly [K in keyof T as T[K] extends OptionalMatcher<unknown> ? never : K]: Infer<T[K]> } & {
                -readonly [K in keyof T as T[K] extends OptionalMatcher<unknown> ? K : never]?: Infer<T[K]>
              }
            >
          : unknown

/** A template: matchers, plain JSON values, and objects/arrays of them. */
export type Template = Matcher<unknown> | Primitive | readonly Template[] | { readonly [key: string]: Template }

export interface Compiled {
  schema: JsonSchema
  example: JsonValue
}

/** Compiles a template to a JSON Schema and an example. */
export function compile(template: unknown, path = '$'): Compiled {
  if (isMatcher(template)) return { schema: template.schema, example: template.example }
  if (template === null) return { schema: { type: 'null' }, example: null }
  switch (typeof template) {
    case 'string':
    case 'boolean':
      return { schema: { const: template }, example: template }
    case 'number':
      if (!Number.isFinite(template)) throw invalid(path, `${template} cannot travel as JSON`)
      return { schema: { const: template }, example: template }
    case 'object': {
      if (Array.isArray(template)) {
        const items = template.map((t, i) => compile(t, `${path}[${i}]`))
        return {
          schema: { type: 'array', prefixItems: items.map((c) => c.schema), items: false, minItems: items.length },
          example: items.map((c) => c.example),
        }
      }
      const properties: Record<string, JsonSchema> = {}
      const required: string[] = []
      const example: Record<string, JsonValue> = {}
      for (const [key, value] of Object.entries(template)) {
        if (value === undefined) continue
        const compiled = compile(value, `${path}.${key}`)
        properties[key] = compiled.schema
        example[key] = compiled.example
        if (!(isMatcher(value) && value.optional)) required.push(key)
      }
      const schema: Record<string, unknown> = { type: 'object', properties }
      if (required.length > 0) schema.required = required
      return { schema, example }
    }
    default:
      throw invalid(path, `a ${typeof template} cannot travel as JSON; use a matcher or a JSON value`)
  }
}

function invalid(path: string, message: string): TreatyError {
  return new TreatyError(ErrorCodes.MATCHER_INVALID, `${path}: ${message}`, { path })
}

function matcher<T>(kind: string, schema: Record<string, unknown>, example: JsonValue): Matcher<T> {
  // The engine describes what is wrong only when something is: a valid example costs no ajv.
  const issue = conforms(schema, example) ? undefined : validate(schema, example)[0]
  if (issue) {
    throw withHintShown(
      new TreatyError(
        ErrorCodes.MATCHER_INVALID,
        `${kind}(${JSON.stringify(example)}): the example contradicts the matcher's own constraints (expected ${issue.expected})`,
        { hint: `pick an example that satisfies ${JSON.stringify(schema)}` },
      ),
    )
  }
  return Object.freeze({ [MATCHER]: true as const, kind, schema, example, optional: false })
}

function checkRange(kind: string, lo: number | undefined, hi: number | undefined, what: string): void {
  if (lo !== undefined && hi !== undefined && lo > hi) {
    throw new TreatyError(ErrorCodes.MATCHER_INVALID, `${kind}: ${what} minimum ${lo} is greater than maximum ${hi}`)
  }
}

function defined(options: object): Record<string, unknown> {
  return Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined))
}

export interface StringOptions {
  minLength?: number
  maxLength?: number
}

/** Any string (optionally bounded in length). */
export function string(example = 'string', options: StringOptions = {}): Matcher<string> {
  checkRange('string', options.minLength, options.maxLength, 'length')
  return matcher('string', { type: 'string', ...defined(options) }, example)
}

export interface NumberOptions {
  minimum?: number
  maximum?: number
  exclusiveMinimum?: number
  exclusiveMaximum?: number
  multipleOf?: number
}

/** Any integer, optionally bounded. */
export function integer(example = 1, options: NumberOptions = {}): Matcher<number> {
  checkRange('integer', options.minimum, options.maximum, 'value')
  return matcher('integer', { type: 'integer', ...defined(options) }, example)
}

/** Any number (integers included), optionally bounded. */
export function decimal(example = 1.5, options: NumberOptions = {}): Matcher<number> {
  checkRange('decimal', options.minimum, options.maximum, 'value')
  return matcher('decimal', { type: 'number', ...defined(options) }, example)
}

export function boolean(example = true): Matcher<boolean> {
  return matcher('boolean', { type: 'boolean' }, example)
}

/** A string matching `pattern` (ECMAScript regex, as JSON Schema uses; flags are not supported). */
export function regex(pattern: RegExp | string, example: string): Matcher<string> {
  if (pattern instanceof RegExp && pattern.flags.replace('u', '') !== '') {
    throw withHintShown(
      new TreatyError(ErrorCodes.MATCHER_INVALID, `regex(${pattern}): flags cannot be expressed in JSON Schema`, {
        hint: 'write the pattern without flags (e.g. [Aa] instead of /a/i)',
      }),
    )
  }
  const source = pattern instanceof RegExp ? pattern.source : pattern
  return matcher('regex', { type: 'string', pattern: source }, example)
}

export function uuid(example = '7f0c2a4e-3b1d-4c5e-9f6a-8b7c6d5e4f3a'): Matcher<string> {
  return matcher('uuid', { type: 'string', format: 'uuid' }, example)
}

/** An RFC 3339 date-time string. */
export function datetime(example = '2024-01-15T10:30:00.000Z'): Matcher<string> {
  return matcher('datetime', { type: 'string', format: 'date-time' }, example)
}

/** An RFC 3339 full-date string (`2024-01-15`). */
export function date(example = '2024-01-15'): Matcher<string> {
  return matcher('date', { type: 'string', format: 'date' }, example)
}

/** One of the listed values. The example defaults to the first. */
export function oneOf<const T extends readonly [Primitive, ...Primitive[]]>(values: T, example: T[number] = values[0]): Matcher<T[number]> {
  if (!Array.isArray(values) || values.length === 0) {
    throw new TreatyError(ErrorCodes.MATCHER_INVALID, 'oneOf([]): list at least one value')
  }
  return matcher('oneOf', { enum: [...values] }, example)
}

/** The template's value, or null. */
export function nullable<const T>(template: T): Matcher<Infer<T> | null> {
  const inner = compile(template)
  const s = inner.schema
  let schema: Record<string, unknown>
  if (typeof s === 'object' && typeof s.type === 'string' && !('enum' in s) && !('const' in s)) {
    schema = { ...s, type: [s.type, 'null'] }
  } else if (typeof s === 'object' && Array.isArray(s.enum)) {
    schema = { ...s, enum: s.enum.includes(null) ? s.enum : [...s.enum, null] }
  } else {
    schema = { anyOf: [s, { type: 'null' }] }
  }
  return matcher('nullable', schema, inner.example)
}

/** The property may be absent. Only meaningful as an object property. */
export function optional<const T>(template: T): OptionalMatcher<Infer<T>> {
  const inner = compile(template)
  return Object.freeze({
    [MATCHER]: true as const,
    kind: 'optional',
    schema: inner.schema,
    example: inner.example,
    optional: true as const,
  })
}

/** Same type as the example, recursively (strings any string, numbers any number, …); nested matchers are kept. */
export function like<const T>(example: T): Matcher<LikeType<T>> {
  const { schema, example: ex } = likeCompile(example, '$')
  return matcher('like', schema as Record<string, unknown>, ex)
}

type LikeType<T> = T extends Matcher<infer U> ? U : T extends Primitive ? Widen<T> : Infer<T>

function likeCompile(value: unknown, path: string): Compiled {
  if (isMatcher(value)) return { schema: value.schema, example: value.example }
  if (value === null) return { schema: { type: 'null' }, example: null }
  if (Array.isArray(value)) {
    if (value.length === 0) return { schema: { type: 'array' }, example: [] }
    const first = likeCompile(value[0], `${path}[0]`)
    return { schema: { type: 'array', items: first.schema }, example: value.map((v, i) => likeCompile(v, `${path}[${i}]`).example) }
  }
  if (typeof value === 'object') {
    const properties: Record<string, JsonSchema> = {}
    const required: string[] = []
    const example: Record<string, JsonValue> = {}
    for (const [k, v] of Object.entries(value)) {
      if (v === undefined) continue
      const c = likeCompile(v, `${path}.${k}`)
      properties[k] = c.schema
      example[k] = c.example
      if (!(isMatcher(v) && v.optional)) required.push(k)
    }
    return { schema: { type: 'object', properties, ...(required.length ? { required } : {}) }, example }
  }
  if (typeof value === 'string') return { schema: { type: 'string' }, example: value }
  if (typeof value === 'boolean') return { schema: { type: 'boolean' }, example: value }
  if (typeof value === 'number' && Number.isFinite(value)) return { schema: { type: 'number' }, example: value }
  throw invalid(path, `like() cannot describe a ${typeof value}`)
}

export interface EachLikeOptions {
  /** Fewest items accepted (default 1). */
  min?: number
  /** Most items accepted (default unbounded). */
  max?: number
}

/** An array whose every item matches the template; the example has `max(min, 1)` items. */
export function eachLike<const T>(template: T, options: EachLikeOptions = {}): Matcher<Infer<T>[]> {
  const { min = 1, max } = options
  if (!Number.isInteger(min) || min < 0 || (max !== undefined && (!Number.isInteger(max) || max < 0))) {
    throw new TreatyError(ErrorCodes.MATCHER_INVALID, `eachLike: min and max must be whole numbers >= 0 (got min ${min}, max ${max})`)
  }
  checkRange('eachLike', min, max, 'item count')
  const item = compile(template)
  const count = max === 0 ? 0 : Math.max(min, 1)
  const schema: Record<string, unknown> = { type: 'array', items: item.schema, minItems: min }
  if (max !== undefined) schema.maxItems = max
  return matcher(
    'eachLike',
    schema,
    Array.from({ length: count }, () => structuredClone(item.example)),
  )
}
