/**
 * Whether a value is valid under a schema, answered without ajv for the small vocabulary Treaty's matchers
 * build (`type`, `const`, `enum`, `properties`, `required`, `items`, `prefixItems`, sizes, bounds,
 * `multipleOf`, `pattern`, `format`, `anyOf`), and by the engine (ajv) for everything else.
 *
 * Why: a consumer test checks each matcher's example and each variant of an expectation once. Through ajv that
 * is a bundle load, an instance with its meta-schemas, and a code-generating compile per distinct schema: about
 * 90 % of a ten-expectation test file (bench/consumer). Walking the schema once per value costs microseconds.
 * A verification run is alike: it reads each contract's examples and checks a few messages per schema, where a
 * compile (~4 ms) outweighs a thousand answers here; warm, an answer here costs about what ajv's compiled code does.
 *
 * Exact, not approximate: where this module answers, it answers what the engine's ajv would (same options:
 * `ownProperties`, code-point string lengths, ajv's own `multipleOf` arithmetic and deep equality, the same
 * linear-time patterns, ajv-formats' format functions); interpret.test.ts checks that against ajv on
 * generated schemas and values. Wherever that could differ, it does not answer and the engine does:
 * - a schema with any other keyword, `$schema`, a keyword value the 2020-12 meta-schema rejects, a format
 *   outside ajv-formats' string formats, or a pattern that does not compile (the engine reports that one as
 *   an invalid schema, as before);
 * - a value that is not plain JSON where the schema looks at it (undefined, NaN, a Date, a function, …).
 * The verdict of a well-formed schema is cached per schema object, so checking the variants of one
 * expectation analyses its schema once.
 */
import type { Format } from 'ajv'
import { fullFormats } from 'ajv-formats/dist/formats.js'
import type { JsonSchema } from '../json/types.js'
import { type ValidationIssue, validate } from './engine.js'
import { formatTestOf } from './formats.js'
import { linearRegExp } from './regex.js'

type S = { readonly [keyword: string]: unknown }
type FormatTest = (value: string) => boolean

/** `value` is valid under `schema` (JSON Schema 2020-12), as the engine's `validate` would say. */
export function conforms(schema: JsonSchema, value: unknown): boolean {
  return interpreted(schema, value) ?? validate(schema, value).length === 0
}

/**
 * The issues of `value` under `schema`, [] when it is valid (the engine's `validate`, answered here first): a
 * valid value costs no compile; ajv compiles the schema only to explain an invalid value, or where this module
 * cannot answer. For a verifier's many schemas each checked a few times: a compile costs ~4 ms, an answer here
 * a few µs, about what the compiled validator takes once warm (bench/verify).
 */
export function issuesOf(schema: JsonSchema, value: unknown): ValidationIssue[] {
  return interpreted(schema, value) === true ? [] : validate(schema, value)
}

/** The answer given here without ajv, or undefined where the engine must answer. */
export function interpreted(schema: JsonSchema, value: unknown): boolean | undefined {
  if (!interpretable(schema)) return undefined
  try {
    return check(schema, value)
  } catch (error) {
    if (error instanceof NotPlainJson) return undefined
    throw error
  }
}

/** Thrown where a value is not plain JSON: ajv's answer there is not reproduced, so the engine answers. */
class NotPlainJson extends Error {}
const notPlainJson = new NotPlainJson()

const TYPES = new Set(['string', 'number', 'integer', 'boolean', 'null', 'object', 'array'])

/** Well-formed schemas in the vocabulary, by identity (matchers build a schema once and check it often). */
const verdicts = new WeakMap<object, boolean>()

function interpretable(schema: unknown): boolean {
  if (typeof schema === 'boolean') return true
  if (!isRecord(schema)) return false
  const known = verdicts.get(schema)
  if (known !== undefined) return known
  let verdict: boolean
  try {
    verdict = wellFormed(schema)
  } catch {
    // a pattern that does not compile: the engine reports it
    verdict = false
  }
  verdicts.set(schema, verdict)
  return verdict
}

/** Every keyword one of those answered here, its value what the 2020-12 meta-schema allows (so ajv would compile it). */
function wellFormed(s: S): boolean {
  for (const [keyword, v] of Object.entries(s)) {
    switch (keyword) {
      case 'type':
        if (typeof v === 'string') {
          if (!TYPES.has(v)) return false
        } else if (!Array.isArray(v) || v.length === 0 || new Set(v).size !== v.length || !v.every((t) => TYPES.has(t))) return false
        break
      case 'const':
        if (!isJson(v)) return false
        break
      case 'enum':
        // ajv refuses to compile an empty enum
        if (!Array.isArray(v) || v.length === 0 || !v.every(isJson)) return false
        break
      // ajv skips a `__proto__` property (its generated code would not survive it): leave that to ajv.
      case 'properties':
        if (!isRecord(v) || Object.hasOwn(v, '__proto__') || !Object.values(v).every(interpretable)) return false
        break
      case 'required':
        if (!Array.isArray(v) || !v.every((k) => typeof k === 'string' && k !== '__proto__') || new Set(v).size !== v.length) return false
        break
      case 'items':
        if (!interpretable(v)) return false
        break
      case 'prefixItems':
      case 'anyOf':
        if (!Array.isArray(v) || v.length === 0 || !v.every(interpretable)) return false
        break
      case 'minItems':
      case 'maxItems':
      case 'minLength':
      case 'maxLength':
        if (!Number.isSafeInteger(v) || (v as number) < 0) return false
        break
      case 'minimum':
      case 'maximum':
      case 'exclusiveMinimum':
      case 'exclusiveMaximum':
        if (!Number.isFinite(v)) return false
        break
      case 'multipleOf':
        if (!Number.isFinite(v) || (v as number) <= 0) return false
        break
      case 'pattern':
        if (typeof v !== 'string') return false
        linearRegExp(v)
        break
      case 'format':
        if (typeof v !== 'string' || formatTest(v) === undefined) return false
        break
      default:
        return false
    }
  }
  return true
}

/**
 * ajv-formats' string formats, from the same pinned ajv-formats as the engine's (whose build bundles its own
 * copy): its table (`dist/formats.js`, which loads nothing else), which the build bundles into this module's chunk.
 */
let formats: Map<string, FormatTest> | undefined

function formatTest(name: string): FormatTest | undefined {
  if (!formats) {
    formats = new Map()
    for (const [key, def] of Object.entries(fullFormats as Record<string, Format>)) {
      const found = formatTestOf(def)
      if (found?.type === 'string') formats.set(key, found.test)
    }
  }
  return formats.get(name)
}

/** The check proper, on a schema `interpretable` accepted. Throws NotPlainJson where ajv's answer is not reproduced. */
function check(schema: JsonSchema, value: unknown): boolean {
  if (typeof schema === 'boolean') return schema
  const s = schema as S
  const kind = jsonKind(value)
  if (s.type !== undefined && !(Array.isArray(s.type) ? s.type.some((t) => hasType(kind, value, t)) : hasType(kind, value, s.type))) {
    return false
  }
  if (s.const !== undefined && !equal(value, s.const)) return false
  if (s.enum !== undefined && !(s.enum as unknown[]).some((v) => equal(value, v))) return false
  if (s.anyOf !== undefined && !(s.anyOf as JsonSchema[]).some((sub) => check(sub, value))) return false
  switch (kind) {
    case 'string':
      return checkString(s, value as string)
    case 'number':
      return checkNumber(s, value as number)
    case 'array':
      return checkArray(s, value as unknown[])
    case 'object':
      return checkObject(s, value as Record<string, unknown>)
    default:
      return true
  }
}

type Kind = 'string' | 'number' | 'boolean' | 'null' | 'array' | 'object'

function jsonKind(value: unknown): Kind {
  if (value === null) return 'null'
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return typeof value as Kind
    case 'number':
      if (Number.isFinite(value)) return 'number'
      throw notPlainJson
    case 'object':
      if (Array.isArray(value)) return 'array'
      if (Object.getPrototypeOf(value) === Object.prototype) return 'object'
      throw notPlainJson
    default:
      throw notPlainJson
  }
}

function hasType(kind: Kind, value: unknown, type: unknown): boolean {
  return type === 'integer' ? kind === 'number' && Number.isInteger(value) : kind === type
}

function checkString(s: S, value: string): boolean {
  if (s.minLength !== undefined || s.maxLength !== undefined) {
    const length = codePoints(value)
    if (s.minLength !== undefined && length < (s.minLength as number)) return false
    if (s.maxLength !== undefined && length > (s.maxLength as number)) return false
  }
  if (s.pattern !== undefined && !linearRegExp(s.pattern as string).test(value)) return false
  if (s.format !== undefined && !(formatTest(s.format as string) as FormatTest)(value)) return false
  return true
}

function checkNumber(s: S, value: number): boolean {
  if (s.minimum !== undefined && value < (s.minimum as number)) return false
  if (s.maximum !== undefined && value > (s.maximum as number)) return false
  if (s.exclusiveMinimum !== undefined && value <= (s.exclusiveMinimum as number)) return false
  if (s.exclusiveMaximum !== undefined && value >= (s.exclusiveMaximum as number)) return false
  if (s.multipleOf !== undefined) {
    // ajv's own test (no multipleOfPrecision): the quotient must survive parseInt unchanged.
    const quotient = value / (s.multipleOf as number)
    if (quotient !== Number.parseInt(String(quotient), 10)) return false
  }
  return true
}

function checkArray(s: S, value: unknown[]): boolean {
  if (s.minItems !== undefined && value.length < (s.minItems as number)) return false
  if (s.maxItems !== undefined && value.length > (s.maxItems as number)) return false
  const prefix = (s.prefixItems as JsonSchema[] | undefined) ?? []
  for (let i = 0; i < prefix.length && i < value.length; i++) {
    if (!check(prefix[i] as JsonSchema, value[i])) return false
  }
  if (s.items !== undefined) {
    for (let i = prefix.length; i < value.length; i++) if (!check(s.items as JsonSchema, value[i])) return false
  }
  return true
}

function checkObject(s: S, value: Record<string, unknown>): boolean {
  for (const key of (s.required as string[] | undefined) ?? []) {
    if (!Object.hasOwn(value, key)) return false
    if (value[key] === undefined) throw notPlainJson
  }
  const properties = s.properties as Record<string, JsonSchema> | undefined
  if (properties) {
    for (const key of Object.keys(properties)) {
      if (!Object.hasOwn(value, key)) continue
      if (!check(properties[key] as JsonSchema, value[key])) return false
    }
  }
  return true
}

/** Deep equality of JSON values, as the engine's ajv answers for them. */
function equal(a: unknown, b: unknown): boolean {
  const kind = jsonKind(a)
  if (kind !== 'array' && kind !== 'object') return a === b
  if (jsonKind(b) !== kind) return false
  if (kind === 'array') {
    const x = a as unknown[]
    const y = b as unknown[]
    if (x.length !== y.length) return false
    for (let i = 0; i < x.length; i++) if (!equal(x[i], y[i])) return false
    return true
  }
  const x = a as Record<string, unknown>
  const y = b as Record<string, unknown>
  // By own keys, members named valueOf or toString included, as the engine's ajv compares plain objects
  // (its bundle's deep equality: scripts/ajv-json-equal.cjs).
  const keys = Object.keys(x)
  return keys.length === Object.keys(y).length && keys.every((k) => Object.hasOwn(y, k) && equal(x[k], y[k]))
}

/** String length in code points, as ajv counts it for minLength/maxLength (a lone surrogate counts one). */
function codePoints(text: string): number {
  let length = 0
  for (let i = 0; i < text.length; i++) {
    length++
    const c = text.charCodeAt(i)
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length && (text.charCodeAt(i + 1) & 0xfc00) === 0xdc00) i++
  }
  return length
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype
}

/** A schema or a map of them: a plain object, or one without a prototype (ajv reads either by its own keys). */
function isRecord(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== 'object') return false
  const proto = Object.getPrototypeOf(value)
  return proto === Object.prototype || proto === null
}

/** Plain JSON all the way down (what a schema's `const` or `enum` may hold for `equal` to answer as ajv). */
function isJson(value: unknown): boolean {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return true
  if (typeof value === 'number') return Number.isFinite(value)
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) if (!isJson(value[i])) return false
    return true
  }
  return isPlainObject(value) && Object.values(value).every(isJson)
}
