/**
 * A Pact example plus its matching rules → the JSON Schema of every message the rules accept.
 * Where no rule applies Pact compares for equality (`const`); objects accept keys beyond the example
 * (Pact allows unexpected keys in messages); a rule with no JSON Schema form is reported with its path
 * and replaced by the example's JSON type, never dropped silently.
 */
import type { JsonSchema, JsonValue } from '../json/types.js'
import { formatPath, type Matcher, type RuleEntry, type RuleIndex, type RuleSet, RuleIndex as Rules, type Segment } from './pact-paths.js'
import type { InteropNote } from './types.js'

type Obj = { [k: string]: unknown }

export interface CompileContext {
  rules: RuleIndex
  notes: InteropNote[]
  /** Prefix for note paths (`messages[0].contents`). */
  where: string
}

export function compileRules(value: JsonValue, rules: RuleSet | undefined, notes: InteropNote[], where: string): JsonSchema {
  const index = new Rules(rules)
  for (const path of index.unreadable)
    notes.push({ path: `${where} ${path}`, message: 'matching rule path not understood; rule not applied' })
  return schemaAt(value, [], { rules: index, notes, where })
}

function schemaAt(value: JsonValue, at: Segment[], ctx: CompileContext): JsonSchema {
  const exact = ctx.rules.exact(at)
  if (exact) return fromEntry(exact, value, at, ctx)
  const inherited = ctx.rules.inherited(at)
  // Children inherit a parent's type-like rule; anything else stays with the parent.
  const typed = inherited?.matchers.some((m) => TYPE_LIKE.has(m.match)) ?? false
  return structural(value, at, ctx, typed)
}

const TYPE_LIKE = new Set(['type', 'min', 'max', 'values', 'eachValue', 'eachKey'])

/** Objects and arrays by their children; leaves by equality, or by JSON type under an inherited type rule. */
function structural(value: JsonValue, at: Segment[], ctx: CompileContext, typed: boolean, arrayRule?: Matcher): JsonSchema {
  if (Array.isArray(value)) {
    if (typed || arrayRule) {
      const schema: Obj = { type: 'array' }
      if (value.length > 0) schema.items = schemaAt(value[0] as JsonValue, [...at, 0], ctx)
      if (typeof arrayRule?.min === 'number') schema.minItems = arrayRule.min
      if (typeof arrayRule?.max === 'number') schema.maxItems = arrayRule.max
      return schema
    }
    return {
      type: 'array',
      prefixItems: value.map((v, i) => schemaAt(v, [...at, i], ctx)),
      items: false,
      minItems: value.length,
    }
  }
  if (value !== null && typeof value === 'object') {
    // Sorted as a contract file stores the example's keys, so a pact exported from it imports as the same contract.
    const keys = Object.keys(value).sort()
    return {
      type: 'object',
      ...(keys.length ? { required: keys } : {}),
      properties: Object.fromEntries(keys.map((k) => [k, schemaAt(value[k] as JsonValue, [...at, k], ctx)])),
    }
  }
  return typed ? jsonType(value) : { const: value }
}

function fromEntry(entry: RuleEntry, value: JsonValue, at: Segment[], ctx: CompileContext): JsonSchema {
  const parts = entry.matchers.map((m) => fromMatcher(m, value, at, ctx))
  if (parts.length === 1) return parts[0] as JsonSchema
  return entry.combine === 'OR' ? { anyOf: parts } : { allOf: parts }
}

function fromMatcher(m: Matcher, value: JsonValue, at: Segment[], ctx: CompileContext): JsonSchema {
  const path = `${ctx.where} ${formatPath(at)}`
  switch (m.match) {
    case 'type':
    case 'min':
    case 'max':
      return structural(value, at, ctx, true, Array.isArray(value) ? m : undefined)
    case 'equality':
      return structural(value, at, ctx, false)
    case 'regex':
      return { type: 'string', pattern: String(m.regex) }
    case 'include':
      return { type: 'string', pattern: escapeRegex(String(m.value)) }
    case 'integer':
      return { type: 'integer' }
    case 'decimal':
      ctx.notes.push({
        path,
        message: 'decimal: JSON Schema cannot ask for a decimal point (1.0 and 1 parse alike); any number is accepted',
      })
      return { type: 'number' }
    case 'number':
      return { type: 'number' }
    case 'boolean':
      return { type: 'boolean' }
    case 'null':
      return { type: 'null' }
    case 'notEmpty':
      return Array.isArray(value)
        ? { type: 'array', minItems: 1 }
        : typeof value === 'string'
          ? { type: 'string', minLength: 1 }
          : jsonType(value)
    case 'semver':
      return { type: 'string', pattern: '^\\d+\\.\\d+\\.\\d+(?:-[0-9A-Za-z.-]+)?(?:\\+[0-9A-Za-z.-]+)?$' }
    case 'date':
    case 'time':
    case 'timestamp':
    case 'datetime': {
      const pattern = typeof m.format === 'string' ? javaDatePattern(m.format) : undefined
      if (pattern) return { type: 'string', pattern }
      ctx.notes.push({
        path,
        message: `${m.match} format ${JSON.stringify(m.format)} has no regular-expression form here; only "a string" is checked`,
      })
      return { type: 'string' }
    }
    case 'values':
    case 'eachValue': {
      const first = value !== null && typeof value === 'object' && !Array.isArray(value) ? Object.entries(value)[0] : undefined
      const rules = Array.isArray(m.rules) ? (m.rules as Matcher[]) : undefined
      const each = first
        ? rules
          ? fromEntry({ matchers: rules }, first[1], [...at, first[0]], ctx)
          : schemaAt(first[1], [...at, first[0]], { ...ctx })
        : true
      return { type: 'object', additionalProperties: each }
    }
    case 'eachKey': {
      const rules = Array.isArray(m.rules) ? (m.rules as Matcher[]) : []
      const key = value !== null && typeof value === 'object' && !Array.isArray(value) ? (Object.keys(value)[0] ?? '') : ''
      return { type: 'object', propertyNames: fromEntry({ matchers: rules }, key, at, ctx) }
    }
    case 'arrayContains': {
      if (!Array.isArray(value) || !Array.isArray(m.variants)) break
      const variants = m.variants as { index: number; rules?: RuleSet }[]
      return {
        type: 'array',
        allOf: variants.map((v) => ({ contains: compileRules(value[v.index] as JsonValue, v.rules, ctx.notes, `${path}[${v.index}]`) })),
      }
    }
  }
  ctx.notes.push({ path, message: `matching rule "${m.match}" has no JSON Schema form; the value's JSON type is checked instead` })
  return jsonType(value)
}

function jsonType(value: JsonValue): JsonSchema {
  if (value === null) return { type: 'null' }
  if (Array.isArray(value)) return { type: 'array' }
  if (typeof value === 'number') return { type: 'number' }
  return { type: typeof value }
}

export function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
}

/** The Java/Pact date-format letters this reader turns into a regular expression. */
const DATE_LETTERS: Record<string, string> = {
  y: '\\d',
  M: '\\d',
  d: '\\d',
  H: '\\d',
  h: '\\d',
  m: '\\d',
  s: '\\d',
  S: '\\d',
}

/** `yyyy-MM-dd'T'HH:mm:ss.SSSX` → an anchored regex; undefined when it uses letters this does not know. */
export function javaDatePattern(format: string): string | undefined {
  let out = ''
  for (let i = 0; i < format.length; ) {
    const c = format[i] as string
    if (c === "'") {
      const end = format.indexOf("'", i + 1)
      if (end < 0) return undefined
      out += escapeRegex(format.slice(i + 1, end) || "'")
      i = end + 1
      continue
    }
    let run = 1
    while (format[i + run] === c) run++
    if (DATE_LETTERS[c]) out += `${DATE_LETTERS[c]}{${run}}`
    else if (c === 'X' || c === 'Z' || c === 'x') out += '(?:Z|[+-]\\d{2}:?\\d{2})'
    else if (/[A-Za-z]/.test(c)) return undefined
    else out += escapeRegex(c.repeat(run))
    i += run
  }
  return `^${out}$`
}
