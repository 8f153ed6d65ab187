/**
 * The field-usage map: which consumer version reads which field of a channel's messages, with its constraint.
 * Read from the expectations' schemas, so it is what the consumer's tests proved it reads, not what someone
 * declared. Pointers use the compatibility engine's form (`/items/*\/qty`: `*` is any array item), so a
 * finding and a usage entry about the same field carry the same pointer.
 */

import { childPointer, type JsonSchema } from '@treaty/core'
import type { ConsumerVersionRef, FieldUsage } from '@treaty/core/client'
import type { ExpectationFact } from './types.js'

/** One consumer version's expectations, as impact and field usage read them. */
export interface ConsumerContractFact extends ConsumerVersionRef {
  contentHash: string
  expectations: readonly ExpectationFact[]
}

export interface FieldRead {
  part: 'payload' | 'headers'
  pointer: string
  constraint: string
}

type SchemaObject = { [keyword: string]: unknown }

const isObject = (s: unknown): s is SchemaObject => typeof s === 'object' && s !== null && !Array.isArray(s)

/** Every field one expectation reads: each named property (and array item) under payload and headers. */
export function fieldsRead(e: ExpectationFact): FieldRead[] {
  const out: FieldRead[] = []
  walk(e.payload.schema, '', true, 'payload', out)
  if (e.headers) walk(e.headers.schema, '', true, 'headers', out)
  const seen = new Set<string>()
  return out.filter((f) => {
    const key = `${f.part}${f.pointer}`
    if (seen.has(key)) return false
    seen.add(key)
    return true
  })
}

function walk(schema: JsonSchema, pointer: string, required: boolean, part: FieldRead['part'], out: FieldRead[]): void {
  if (!isObject(schema)) return
  if (pointer !== '') out.push({ part, pointer, constraint: constraintOf(schema, required) })
  const requiredNames = Array.isArray(schema.required) ? (schema.required as string[]) : []
  if (isObject(schema.properties)) {
    for (const [name, sub] of Object.entries(schema.properties)) {
      walk(sub as JsonSchema, childPointer(pointer, name), requiredNames.includes(name), part, out)
    }
  }
  if (Array.isArray(schema.prefixItems)) {
    for (const [i, sub] of schema.prefixItems.entries()) walk(sub as JsonSchema, `${pointer}/${i}`, true, part, out)
  }
  if (isObject(schema.items)) walk(schema.items as JsonSchema, `${pointer}/*`, true, part, out)
  for (const combinator of ['allOf', 'anyOf', 'oneOf'] as const) {
    const alternatives = schema[combinator]
    if (!Array.isArray(alternatives)) continue
    for (const sub of alternatives) if (isObject(sub)) walkChildren(sub, pointer, part, out)
  }
}

/** An alternative's properties belong to the same field; the field itself is already recorded. */
function walkChildren(schema: SchemaObject, pointer: string, part: FieldRead['part'], out: FieldRead[]): void {
  const nested: FieldRead[] = []
  walk(schema, pointer, true, part, nested)
  out.push(...nested.filter((f) => f.pointer !== pointer))
}

/** `required string (uuid)`, `optional integer >= 1`, `required one of "a4", "letter"`. */
export function constraintOf(schema: SchemaObject, required: boolean): string {
  const parts: string[] = [required ? 'required' : 'optional']
  if ('const' in schema) parts.push(`= ${JSON.stringify(schema.const)}`)
  else if (Array.isArray(schema.enum)) {
    const shown = schema.enum.slice(0, 4).map((v) => JSON.stringify(v))
    parts.push(`one of ${shown.join(', ')}${schema.enum.length > 4 ? ', …' : ''}`)
  } else if (typeof schema.type === 'string') parts.push(schema.type)
  else if (Array.isArray(schema.type)) parts.push((schema.type as string[]).join(' | '))
  else if (schema.anyOf || schema.oneOf) parts.push('one of several shapes')
  else parts.push('any')
  if (typeof schema.format === 'string') parts.push(`(${schema.format})`)
  if (typeof schema.pattern === 'string') parts.push(`matching /${schema.pattern}/`)
  if (typeof schema.minimum === 'number') parts.push(`>= ${schema.minimum}`)
  if (typeof schema.exclusiveMinimum === 'number') parts.push(`> ${schema.exclusiveMinimum}`)
  if (typeof schema.maximum === 'number') parts.push(`<= ${schema.maximum}`)
  if (typeof schema.exclusiveMaximum === 'number') parts.push(`< ${schema.exclusiveMaximum}`)
  if (typeof schema.minLength === 'number') parts.push(`length >= ${schema.minLength}`)
  if (typeof schema.maxLength === 'number') parts.push(`length <= ${schema.maxLength}`)
  if (typeof schema.minItems === 'number') parts.push(`>= ${schema.minItems} items`)
  return parts.join(' ')
}

/** The field-usage map of the given consumer versions, for one channel or (without one) every channel. */
export function fieldUsageMap(contracts: readonly ConsumerContractFact[], channel?: string): FieldUsage[] {
  const out: FieldUsage[] = []
  for (const c of contracts) {
    for (const e of c.expectations) {
      if (channel !== undefined && e.channel !== channel) continue
      for (const f of fieldsRead(e)) {
        out.push({ channel: e.channel, ...f, consumer: c.consumer, version: c.version, environments: c.environments })
      }
    }
  }
  const seen = new Set<string>()
  return out
    .filter((u) => {
      const key = [u.channel, u.part, u.pointer, u.consumer, u.version].join('\u0000')
      if (seen.has(key)) return false
      seen.add(key)
      return true
    })
    .sort((a, b) => cmp(a.channel, b.channel) || cmp(a.part, b.part) || cmp(a.pointer, b.pointer) || cmp(a.consumer, b.consumer))
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0
}
