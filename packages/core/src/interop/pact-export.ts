/**
 * Treaty contracts → Pact V4 pacts (asynchronous messages), so a team can keep a Pact Broker or move
 * over gradually. Contents are the expectation's example, matching rules come from its schema: JSON
 * types as `type`/`integer`/`number`, patterns, enums and formats as `regex`, arrays as `type` with
 * min/max. The channel travels as the `channel` metadata (what `treaty import pact` reads back).
 * What Pact cannot say (`oneOf`, closed objects, numeric bounds, optional properties…) is reported
 * with its path: Treaty checks it, the pact does not.
 */
import type { Contract, Expectation } from '../contract/types.js'
import type { JsonSchema, JsonValue } from '../json/types.js'
import { isAnnotation } from '../schema/compat/keywords.js'
import { formatRulePath, type Matcher, type RuleSegment, type RuleSet } from './pact-paths.js'
import { escapeRegex } from './pact-to-schema.js'
import type { InteropNote } from './types.js'

type Obj = { [k: string]: unknown }

export interface PactExport {
  /** `<consumer>-<provider>.json`, Pact's own file naming. */
  fileName: string
  pact: Obj
}

const FORMAT_PATTERNS: Record<string, string> = {
  uuid: '^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$',
  date: '^\\d{4}-\\d{2}-\\d{2}$',
  'date-time': '^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(?:\\.\\d+)?(?:Z|[+-]\\d{2}:\\d{2})$',
  email: '^[^@\\s]+@[^@\\s]+$',
}
/** Keywords the rules below express (or that do not constrain); anything else is reported. */
const EXPRESSED = new Set(['type', 'properties', 'required', 'items', 'minItems', 'maxItems', 'pattern', 'format', 'enum', 'const'])

/** True for a pact `exportPact` wrote (as parsed JSON), false for anything else, such as one pact-js wrote. */
export function isExportedPact(value: unknown): boolean {
  return typeof (value as { metadata?: { treaty?: { exportedFrom?: unknown } } } | null)?.metadata?.treaty?.exportedFrom === 'string'
}

export function exportPact(contract: Contract, notes: InteropNote[]): PactExport {
  return {
    fileName: `${contract.consumer}-${contract.provider}.json`,
    pact: {
      consumer: { name: contract.consumer },
      provider: { name: contract.provider },
      interactions: contract.expectations.map((e, i) => interaction(e, notes, `expectations[${i}]`)),
      metadata: { pactSpecification: { version: '4.0' }, treaty: { exportedFrom: 'treaty contract format 1' } },
    },
  }
}

function interaction(e: Expectation, notes: InteropNote[], at: string): Obj {
  const body: RuleSet = {}
  const content = rulesFor(e.payload.schema, e.payload.example, [], body, notes, `${at}.payload`)
  const metadataRules: RuleSet = {}
  const metadata: Obj = { channel: e.channel }
  if (e.headers && e.headers.example !== null && typeof e.headers.example === 'object' && !Array.isArray(e.headers.example)) {
    const headerRules: RuleSet = {}
    const kept = rulesFor(e.headers.schema, e.headers.example, [], headerRules, notes, `${at}.headers`) as Obj
    Object.assign(metadata, kept)
    // Metadata rules are keyed by the metadata key, not by a path.
    for (const [path, entry] of Object.entries(headerRules)) {
      const key = /^\$\.(.+)$|^\$\['(.+)'\]$/.exec(path)
      if (key) metadataRules[key[1] ?? key[2] ?? ''] = entry
    }
  }
  const matchingRules: Obj = {}
  if (Object.keys(body).length) matchingRules.body = body
  if (Object.keys(metadataRules).length) matchingRules.metadata = metadataRules
  return {
    type: 'Asynchronous/Messages',
    description: e.description,
    pending: false,
    providerStates: e.providerStates,
    contents: { content, contentType: 'application/json', encoded: false },
    metadata,
    ...(Object.keys(matchingRules).length ? { matchingRules } : {}),
    ...(e.messageName ? { comments: { text: [`message name: ${e.messageName}`] } } : {}),
  }
}

/** Adds the rules for `schema` at `at` into `rules`; returns the content to put there (optional properties left out). */
function rulesFor(
  schema: JsonSchema,
  example: JsonValue,
  at: RuleSegment[],
  rules: RuleSet,
  notes: InteropNote[],
  where: string,
): JsonValue {
  if (typeof schema !== 'object') return example
  const path = formatRulePath(at)
  for (const k of Object.keys(schema)) {
    if (!EXPRESSED.has(k) && !isAnnotation(k)) {
      notes.push({ path: `${where} ${path}`, message: `${k} has no Pact matching rule; checked by Treaty only` })
    }
  }
  const add = (m: Matcher) => {
    rules[path] = { combine: 'AND', matchers: [...(rules[path]?.matchers ?? []), m] }
  }
  if ('const' in schema) return example
  if (Array.isArray(schema.enum)) {
    if (schema.enum.every((v) => typeof v === 'string'))
      add({ match: 'regex', regex: `^(?:${(schema.enum as string[]).map(escapeRegex).join('|')})$` })
    return example
  }
  if (Array.isArray(example)) {
    add({
      match: 'type',
      ...(typeof schema.minItems === 'number' ? { min: schema.minItems } : {}),
      ...(typeof schema.maxItems === 'number' ? { max: schema.maxItems } : {}),
    })
    if (example.length === 0) return example
    const item = schema.items !== null && typeof schema.items === 'object' ? (schema.items as JsonSchema) : true
    return [rulesFor(item, example[0] as JsonValue, [...at, '*'], rules, notes, where), ...example.slice(1)]
  }
  if (example !== null && typeof example === 'object') {
    const props = (schema.properties ?? {}) as Record<string, JsonSchema>
    const required = new Set(Array.isArray(schema.required) ? (schema.required as string[]) : [])
    const out: Record<string, JsonValue> = {}
    for (const [k, v] of Object.entries(example)) {
      if (!required.has(k)) {
        notes.push({
          path: `${where} ${formatRulePath([...at, k])}`,
          message: 'optional property left out of the pact (Pact would require it)',
        })
        continue
      }
      out[k] = rulesFor(props[k] ?? true, v, [...at, k], rules, notes, where)
    }
    if (Object.keys(out).length === 0) add({ match: 'type' })
    return out
  }
  if (typeof example === 'string') {
    const pattern =
      typeof schema.pattern === 'string' ? schema.pattern : typeof schema.format === 'string' ? FORMAT_PATTERNS[schema.format] : undefined
    add(pattern ? { match: 'regex', regex: pattern } : { match: 'type' })
  } else if (typeof example === 'number') add(schema.type === 'integer' ? { match: 'integer' } : { match: 'number' })
  else add({ match: 'type' })
  return example
}
