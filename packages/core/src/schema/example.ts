/**
 * A concrete instance for a schema that came without one (raw schemas, `.withPayloadSchema(s)`).
 * Small and deterministic: the first of `examples`/`default`/`const`/`enum`, else the least value
 * the type allows. What it cannot build (a `pattern` string, say) it refuses, asking for an example.
 */

import { ErrorCodes, TreatyError } from '../errors.js'
import { childPointer, fragmentToPointer, pointerToPath, resolvePointer } from '../json/pointer.js'
import type { JsonSchema, JsonValue } from '../json/types.js'
import { validate } from './engine.js'
import { conforms } from './interpret.js'

const FORMAT_SAMPLES: Record<string, string> = {
  'date-time': '2024-01-15T10:30:00.000Z',
  date: '2024-01-15',
  time: '10:30:00Z',
  uuid: '7f0c2a4e-3b1d-4c5e-9f6a-8b7c6d5e4f3a',
  email: 'user@example.com',
  uri: 'https://example.com/',
  'uri-reference': '/path',
  hostname: 'example.com',
  ipv4: '192.0.2.1',
  ipv6: '2001:db8::1',
  duration: 'P1D',
}

export function exampleFor(schema: JsonSchema): JsonValue {
  const value = build(schema, schema, '', 0)
  const issue = conforms(schema, value) ? undefined : validate(schema, value)[0]
  if (issue) {
    throw new TreatyError(
      ErrorCodes.EXAMPLE_UNAVAILABLE,
      `cannot build an example for this schema (at ${issue.pointer || '(root)'}: expected ${issue.expected})`,
      { path: pointerToPath(issue.pointer), hint: 'pass an example: .withPayloadSchema(schema, example)' },
    )
  }
  return value
}

type S = Record<string, unknown>

function build(schema: JsonSchema, root: JsonSchema, at: string, depth: number): JsonValue {
  if (depth > 32) throw unavailable(at, 'the schema recurses without end')
  if (schema === true) return null
  if (schema === false) throw unavailable(at, 'the schema accepts nothing (false)')
  const s = schema as S
  if (Array.isArray(s.examples) && s.examples.length > 0) return s.examples[0] as JsonValue
  if ('default' in s) return s.default as JsonValue
  if ('const' in s) return s.const as JsonValue
  if (Array.isArray(s.enum) && s.enum.length > 0) return s.enum[0] as JsonValue
  if (typeof s.$ref === 'string') return build(resolveRef(s.$ref, root, at), root, at, depth + 1)
  if (Array.isArray(s.allOf) && s.allOf.length > 0) {
    // The schema's own keywords and every allOf member together, required and properties unioned.
    const parts = [s, ...(s.allOf as S[])].filter((p) => typeof p === 'object')
    const merged: S = Object.assign({}, ...parts, { allOf: undefined })
    merged.required = [...new Set(parts.flatMap((p) => (Array.isArray(p.required) ? (p.required as string[]) : [])))]
    merged.properties = Object.assign({}, ...parts.map((p) => (p.properties ?? {}) as S))
    return build(merged, root, at, depth + 1)
  }
  for (const k of ['anyOf', 'oneOf'] as const) {
    const alts = s[k]
    if (Array.isArray(alts) && alts.length > 0) return build(alts[0] as JsonSchema, root, at, depth + 1)
  }
  const type = Array.isArray(s.type) ? (s.type.find((t) => t !== 'null') ?? 'null') : s.type
  switch (type ?? guessType(s)) {
    case 'null':
      return null
    case 'boolean':
      return true
    case 'integer':
    case 'number':
      return number(s, type === 'integer')
    case 'string':
      return string(s, at)
    case 'array': {
      const min = typeof s.minItems === 'number' ? s.minItems : 0
      const prefix = Array.isArray(s.prefixItems) ? (s.prefixItems as JsonSchema[]) : []
      const out: JsonValue[] = prefix.map((p, i) => build(p, root, childPointer(at, i), depth + 1))
      const items = s.items === undefined ? {} : (s.items as JsonSchema)
      const want = Math.max(min, out.length === 0 && s.maxItems !== 0 && items !== false ? 1 : 0)
      while (out.length < want) out.push(build(items, root, childPointer(at, out.length), depth + 1))
      return out
    }
    case 'object': {
      const props = (s.properties ?? {}) as Record<string, JsonSchema>
      const out: Record<string, JsonValue> = {}
      for (const key of (s.required as string[] | undefined) ?? []) {
        out[key] = build(props[key] ?? {}, root, childPointer(at, key), depth + 1)
      }
      return out
    }
    default:
      return null
  }
}

function guessType(s: S): string | undefined {
  if ('properties' in s || 'required' in s) return 'object'
  if ('items' in s || 'prefixItems' in s) return 'array'
  if ('minLength' in s || 'maxLength' in s || 'format' in s || 'pattern' in s) return 'string'
  if ('minimum' in s || 'maximum' in s) return 'number'
  return undefined
}

function number(s: S, integer: boolean): number {
  const step = integer ? 1 : 0.5
  let v = 0
  if (typeof s.minimum === 'number') v = s.minimum
  else if (typeof s.exclusiveMinimum === 'number') v = s.exclusiveMinimum + step
  else if (typeof s.maximum === 'number' && s.maximum < 0) v = s.maximum
  else if (typeof s.exclusiveMaximum === 'number' && s.exclusiveMaximum <= 0) v = s.exclusiveMaximum - step
  if (integer) v = Math.ceil(v)
  if (typeof s.multipleOf === 'number' && v % s.multipleOf !== 0) v = Math.ceil(v / s.multipleOf) * s.multipleOf
  return v
}

function string(s: S, at: string): string {
  if (typeof s.format === 'string') {
    const sample = FORMAT_SAMPLES[s.format]
    if (sample) return sample
  }
  if (typeof s.pattern === 'string') throw unavailable(at, `no example can be derived for pattern /${s.pattern}/`)
  const min = typeof s.minLength === 'number' ? s.minLength : 0
  const max = typeof s.maxLength === 'number' ? s.maxLength : Number.POSITIVE_INFINITY
  return 'string'.padEnd(min, 'x').slice(0, max)
}

export function resolveRef(ref: string, root: JsonSchema, at: string): JsonSchema {
  if (!ref.startsWith('#')) throw unavailable(at, `$ref ${ref} points outside this schema`)
  const pointer = fragmentToPointer(ref)
  const cur = pointer === undefined ? undefined : resolvePointer(root, pointer)
  if (cur === undefined) throw unavailable(at, `$ref ${ref} does not resolve`)
  return cur as JsonSchema
}

function unavailable(at: string, why: string): TreatyError {
  return new TreatyError(ErrorCodes.EXAMPLE_UNAVAILABLE, `cannot build an example at ${at || '(root)'}: ${why}`, {
    path: pointerToPath(at),
    hint: 'pass an example: .withPayloadSchema(schema, example)',
  })
}
