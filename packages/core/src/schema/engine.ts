/**
 * The one JSON Schema engine: ajv for 2020-12 with formats. Compiled validators are cached by the
 * schema's content hash (and by object identity in front of that), so a schema shared by many
 * expectations is compiled once per process.
 */
import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js'
import ajvFormats from 'ajv-formats'
import { canonicalJson, sha256 } from '../contract/canonical.js'
import type { JsonSchema } from '../contract/types.js'
import { ErrorCodes, TreatyError } from '../errors.js'
import { nonProductiveRefCycle } from './ref-cycles.js'
import { linearRegExpEngine } from './regex.js'
import { ValidatorCache } from './validator-cache.js'

// ajv-formats is CommonJS: under NodeNext its default import is `module.exports`, the plugin is `.default`.
const addFormats = ajvFormats.default

function createAjv(): Ajv2020 {
  // strict off: contracts from other tools may carry annotations (x-*, examples) ajv does not know.
  // logger off: ajv would print "unknown format … ignored" to the console of whoever validates.
  // ownProperties: a message is JSON, so `constructor` or `toString` are only present when sent.
  // code.regExp: patterns come from other teams' contracts; RE2 matches in linear time (see regex.ts).
  const ajv = new Ajv2020({
    allErrors: true,
    strict: false,
    validateFormats: true,
    logger: false,
    ownProperties: true,
    code: { regExp: linearRegExpEngine },
  })
  addFormats(ajv)
  return ajv
}

/** Checks schemas against the meta-schema only; it compiles no user schema, so it never grows. */
const ajv = createAjv()
/** A long-running process (a broker) sees endless schemas: keep the most recent compilations only. */
const MAX_CACHED = 5000
const byHash = new ValidatorCache(createAjv, MAX_CACHED)
const byIdentity = new WeakMap<object, ValidateFunction>()

/** Content hash of a schema (sha256 of its canonical JSON). */
export function schemaHash(schema: JsonSchema): string {
  return sha256(canonicalJson(schema))
}

/**
 * Throws TREATY_SCHEMA_INVALID naming the offending keyword's path when `schema` is not valid
 * JSON Schema 2020-12. `where` prefixes the path (e.g. `payload.schema`).
 */
export function assertValidSchema(schema: unknown, where = 'schema'): asserts schema is JsonSchema {
  if (typeof schema === 'boolean') return
  if (schema === null || typeof schema !== 'object' || Array.isArray(schema)) {
    throw new TreatyError(ErrorCodes.SCHEMA_INVALID, `${where} must be a JSON Schema object or boolean`, {
      path: where,
    })
  }
  let valid: boolean
  try {
    valid = ajv.validateSchema(schema) as boolean
  } catch (cause) {
    // ajv throws (instead of answering false) for a `$schema` it has no meta-schema for.
    throw new TreatyError(ErrorCodes.SCHEMA_INVALID, `${where}: ${(cause as Error).message}`, {
      path: `${where}.$schema`,
      hint: 'use JSON Schema 2020-12 ("$schema": "https://json-schema.org/draft/2020-12/schema") or leave $schema out',
      cause,
    })
  }
  if (!valid) {
    const first = ajv.errors?.[0]
    const path = `${where}${first?.instancePath ?? ''}`
    throw new TreatyError(ErrorCodes.SCHEMA_INVALID, `${path} is not valid JSON Schema 2020-12: ${first?.message ?? 'invalid'}`, {
      path,
      hint: 'fix the keyword named above; see https://json-schema.org/draft/2020-12',
    })
  }
  const cycle = nonProductiveRefCycle(schema)
  if (cycle !== undefined) {
    throw new TreatyError(ErrorCodes.SCHEMA_INVALID, `${where}: $ref ${cycle} refers back to itself without descending into the value`, {
      path: where,
      hint: 'a recursive schema must recurse through properties or items, as a tree does',
    })
  }
}

/** The compiled validator for `schema`, compiled at most once per distinct content. */
export function validatorFor(schema: JsonSchema): ValidateFunction {
  const key = typeof schema === 'object' ? schema : null
  if (key) {
    const known = byIdentity.get(key)
    if (known) return known
  }
  let validate: ValidateFunction
  try {
    validate = byHash.get(schemaHash(schema), typeof schema === 'boolean' ? schema : stripId(schema))
  } catch (cause) {
    throw new TreatyError(ErrorCodes.SCHEMA_INVALID, `schema does not compile: ${(cause as Error).message}`, {
      cause,
    })
  }
  if (key) byIdentity.set(key, validate)
  return validate
}

/** `$id`s would collide in ajv's registry when two contracts reuse one; validation does not need them. */
function stripId(schema: { [k: string]: unknown }): { [k: string]: unknown } {
  if (!('$id' in schema)) return schema
  const { $id: _ignored, ...rest } = schema
  return rest
}

export interface ValidationIssue {
  /** JSON pointer into the instance, `''` for the root. */
  pointer: string
  /** The JSON Schema keyword that failed (`type`, `required`, `enum`, …). */
  keyword: string
  /** What the schema asks for, in words (`integer >= 1`, `one of "A4", "Letter"`). */
  expected: string
  /** The property concerned, for `required` and `additionalProperties`. */
  property?: string
  /** Where in the schema the keyword sits. */
  schemaPath: string
}

/** Validates `value` against `schema`; returns [] when valid. */
export function validate(schema: JsonSchema, value: unknown): ValidationIssue[] {
  const fn = validatorFor(schema)
  if (fn(value)) return []
  return toIssues(fn.errors ?? [])
}

export function toIssues(errors: ErrorObject[]): ValidationIssue[] {
  const issues: ValidationIssue[] = []
  for (const e of withoutBranchNoise(errors)) {
    const issue = describeError(e)
    if (issue) issues.push(issue)
  }
  return issues
}

/**
 * ajv reports every failing branch of an anyOf/oneOf before the summary; a branch the value was never
 * meant to match is noise. Keep the summary, drop what failed inside its branches.
 */
function withoutBranchNoise(errors: ErrorObject[]): ErrorObject[] {
  const summaries = errors.filter((e) => e.keyword === 'anyOf' || e.keyword === 'oneOf').map((e) => `${e.schemaPath}/`)
  if (summaries.length === 0) return errors
  return errors.filter((e) => !summaries.some((s) => e.schemaPath.startsWith(s)))
}

function describeError(e: ErrorObject): ValidationIssue | undefined {
  const p = e.params as Record<string, unknown>
  const base = { pointer: e.instancePath, keyword: e.keyword, schemaPath: e.schemaPath }
  switch (e.keyword) {
    case 'required': {
      const property = String(p.missingProperty)
      return { ...base, pointer: `${e.instancePath}/${escapePointer(property)}`, expected: 'present (required)', property }
    }
    case 'additionalProperties': {
      const property = String(p.additionalProperty)
      return { ...base, pointer: `${e.instancePath}/${escapePointer(property)}`, expected: 'no additional property', property }
    }
    case 'type':
      return { ...base, expected: String(p.type).replace(/,/g, ' | ') }
    case 'enum':
      return { ...base, expected: `one of ${(p.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')}` }
    case 'const':
      return { ...base, expected: `exactly ${JSON.stringify(p.allowedValue)}` }
    case 'format':
      return { ...base, expected: `string in format "${String(p.format)}"` }
    case 'pattern':
      return { ...base, expected: `string matching /${String(p.pattern)}/` }
    case 'minimum':
    case 'maximum':
    case 'exclusiveMinimum':
    case 'exclusiveMaximum':
      return { ...base, expected: `number ${String(p.comparison)} ${String(p.limit)}` }
    case 'multipleOf':
      return { ...base, expected: `multiple of ${String(p.multipleOf)}` }
    case 'minLength':
      return { ...base, expected: `string of at least ${String(p.limit)} characters` }
    case 'maxLength':
      return { ...base, expected: `string of at most ${String(p.limit)} characters` }
    case 'minItems':
      return { ...base, expected: `array of at least ${String(p.limit)} items` }
    case 'maxItems':
      return { ...base, expected: `array of at most ${String(p.limit)} items` }
    case 'uniqueItems':
      return { ...base, expected: `unique items (items ${String(p.j)} and ${String(p.i)} are equal)` }
    case 'minProperties':
    case 'maxProperties':
      return { ...base, expected: `${e.keyword === 'minProperties' ? 'at least' : 'at most'} ${String(p.limit)} properties` }
    case 'anyOf':
    case 'oneOf':
      return { ...base, expected: `a value matching ${e.keyword === 'oneOf' ? 'exactly one' : 'at least one'} of the alternatives` }
    default:
      return { ...base, expected: e.message ?? e.keyword }
  }
}

export function escapePointer(segment: string): string {
  return segment.replace(/~/g, '~0').replace(/\//g, '~1')
}

/** The value at a JSON pointer, or undefined. */
export function valueAt(root: unknown, pointer: string): unknown {
  if (pointer === '') return root
  let cur: unknown = root
  for (const raw of pointer.slice(1).split('/')) {
    const seg = raw.replace(/~1/g, '/').replace(/~0/g, '~')
    if (cur === null || typeof cur !== 'object') return undefined
    cur = (cur as Record<string, unknown>)[seg]
  }
  return cur
}
