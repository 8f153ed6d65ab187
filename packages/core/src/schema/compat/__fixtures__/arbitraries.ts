/**
 * fast-check generators for the soundness property: schema documents over the keywords the engine
 * models (with `$defs`, a recursive definition and `$ref`s), writer/reader pairs — many of them a
 * schema and a mutation of it, so that a good share is actually compatible — and instances guided
 * by a schema (its enum values, bounds, property names) mixed with arbitrary JSON.
 */
import fc from 'fast-check'

type S = Record<string, unknown>
export type Schema = S | boolean

const NAMES = ['a', 'b', 'c', 'x-1', 'n1']
const NAME_PATTERNS = ['^x-', '^n', '^[ab]$']
const STRING_PATTERNS = ['^a', '^[a-c]*$', 'b$']
const FORMATS = ['date', 'email', 'uuid']
const SCALARS = ['a', 'b', 'ab', '', 'x-1', 0, 1, 2, -1, 2.5, 10, true, false, null]
const SAMPLE_STRINGS = [
  '',
  'a',
  'b',
  'ab',
  'abc',
  'ba',
  'cab',
  'x-1',
  'zzzzzzz',
  '2024-01-15',
  'a@b.co',
  '7f0c2a4e-3b1d-4c5e-9f6a-8b7c6d5e4f3a',
]
const DEF_NAMES = ['d0', 'd1', 'node']

const scalar = fc.constantFrom(...SCALARS)
const smallJson: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 4, arbitrary: scalar },
  { weight: 1, arbitrary: fc.constantFrom({ a: 1 }, { a: 'a', b: null }, [1], ['a', 'a'], [], {}) },
)

const opt = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: undefined, freq: 2 })
const clean = (s: S): S => Object.fromEntries(Object.entries(s).filter(([, v]) => v !== undefined))

const typeName = fc.constantFrom('null', 'boolean', 'integer', 'number', 'string', 'array', 'object')

const leaf: fc.Arbitrary<Schema> = fc.oneof(
  { weight: 1, arbitrary: fc.boolean() },
  { weight: 2, arbitrary: typeName.map((type) => ({ type })) },
  { weight: 2, arbitrary: fc.uniqueArray(typeName, { minLength: 1, maxLength: 3 }).map((type) => ({ type })) },
  { weight: 2, arbitrary: fc.uniqueArray(scalar, { minLength: 1, maxLength: 4 }).map((e) => ({ enum: e })) },
  { weight: 1, arbitrary: scalar.map((c) => ({ const: c })) },
  {
    weight: 3,
    arbitrary: fc
      .record({
        type: fc.constantFrom<unknown>('string', ['string', 'null']),
        minLength: opt(fc.nat(3)),
        maxLength: opt(fc.nat(5)),
        pattern: opt(fc.constantFrom(...STRING_PATTERNS)),
        format: opt(fc.constantFrom(...FORMATS)),
      })
      .map(clean),
  },
  {
    weight: 3,
    arbitrary: fc
      .record({
        type: fc.constantFrom<unknown>('integer', 'number', ['integer', 'null']),
        minimum: opt(fc.integer({ min: -2, max: 3 })),
        maximum: opt(fc.integer({ min: 0, max: 12 })),
        exclusiveMinimum: opt(fc.constantFrom(-1, 0, 0.5)),
        exclusiveMaximum: opt(fc.constantFrom(2, 10, 10.5)),
        multipleOf: opt(fc.constantFrom(1, 2, 5, 0.5)),
      })
      .map(clean),
  },
  { weight: 2, arbitrary: fc.constantFrom(...DEF_NAMES).map((d) => ({ $ref: `#/$defs/${d}` })) },
  { weight: 1, arbitrary: fc.constant({ type: 'string', nullable: true }) },
)

const { schema } = fc.letrec<{ schema: Schema; node: Schema }>((tie) => ({
  schema: fc.oneof({ depthSize: 'small', withCrossShrink: true }, leaf, tie('node')),
  node: fc.oneof(
    {
      weight: 4,
      arbitrary: fc
        .record({
          type: fc.constantFrom<unknown>('object', ['object', 'null'], undefined),
          properties: opt(fc.dictionary(fc.constantFrom(...NAMES), tie('schema'), { maxKeys: 3 })),
          required: opt(fc.uniqueArray(fc.constantFrom(...NAMES), { maxLength: 2 })),
          additionalProperties: opt(fc.oneof(fc.boolean(), tie('schema'))),
          patternProperties: opt(fc.dictionary(fc.constantFrom(...NAME_PATTERNS), tie('schema'), { maxKeys: 2 })),
          minProperties: opt(fc.nat(2)),
          maxProperties: opt(fc.integer({ min: 1, max: 4 })),
        })
        .map(clean),
    },
    {
      weight: 3,
      arbitrary: fc
        .record({
          type: fc.constantFrom<unknown>('array', ['array', 'null'], undefined),
          items: opt(fc.oneof(fc.boolean(), tie('schema'))),
          prefixItems: opt(fc.array(tie('schema'), { minLength: 1, maxLength: 2 })),
          minItems: opt(fc.nat(2)),
          maxItems: opt(fc.integer({ min: 1, max: 4 })),
          uniqueItems: opt(fc.boolean()),
        })
        .map(clean),
    },
    { weight: 1, arbitrary: fc.array(tie('schema'), { minLength: 1, maxLength: 2 }).map((allOf) => ({ allOf })) },
    { weight: 2, arbitrary: fc.array(tie('schema'), { minLength: 2, maxLength: 3 }).map((anyOf) => ({ anyOf })) },
    { weight: 2, arbitrary: fc.array(tie('schema'), { minLength: 2, maxLength: 3 }).map((oneOf) => ({ oneOf })) },
    { weight: 1, arbitrary: tie('schema').map((not) => ({ not })) },
    {
      weight: 1,
      arbitrary: fc.tuple(leaf, tie('schema')).map(([a, b]) => (typeof a === 'object' && typeof b === 'object' ? { ...b, ...a } : a)),
    },
  ),
}))

/** A whole document: `$defs` d0, d1 and a recursive `node`, plus the root schema. */
export const documentArb: fc.Arbitrary<Schema> = fc
  .record({ root: schema, d0: leaf, d1: schema, v: leaf, closed: fc.boolean() })
  .map(({ root, d0, d1, v, closed }) => {
    const node = clean({
      type: 'object',
      properties: { v, next: { $ref: '#/$defs/node' } },
      additionalProperties: closed ? false : undefined,
    })
    // No left recursion (ajv cannot compile it): d0 may only point at node, d1 at d0 or node.
    const $defs = { d0: redirect(d0, ['d0', 'd1'], 'node'), d1: redirect(d1, ['d1'], 'd0'), node }
    if (typeof root === 'boolean') return root ? { $defs } : { $defs, not: {} }
    return asJson({ ...root, $defs })
  })

/** What JSON.parse would give: fast-check builds some objects without a prototype, which ajv's deep-equal cannot compare. */
function asJson<T>(value: T): T {
  return JSON.parse(JSON.stringify(value))
}

function redirect(s: Schema, from: string[], to: string): Schema {
  if (typeof s !== 'object') return s
  return JSON.parse(JSON.stringify(s).replace(new RegExp(`#/\\$defs/(${from.join('|')})"`, 'g'), `#/$defs/${to}"`))
}

// ---- mutations ---------------------------------------------------------------------------------

/** Every path (list of keys) in `doc` at which a subschema sits. */
function schemaPaths(doc: unknown, at: (string | number)[] = [], out: (string | number)[][] = []): (string | number)[][] {
  if (typeof doc === 'boolean') out.push(at)
  if (doc === null || typeof doc !== 'object' || Array.isArray(doc)) return out
  out.push(at)
  const s = doc as S
  for (const k of ['items', 'additionalProperties', 'not']) if (k in s) schemaPaths(s[k], [...at, k], out)
  for (const k of ['allOf', 'anyOf', 'oneOf', 'prefixItems']) {
    if (Array.isArray(s[k])) for (const [i, c] of (s[k] as unknown[]).entries()) schemaPaths(c, [...at, k, i], out)
  }
  for (const k of ['properties', 'patternProperties', '$defs']) {
    if (s[k] && typeof s[k] === 'object') for (const [n, c] of Object.entries(s[k] as S)) schemaPaths(c, [...at, k, n], out)
  }
  return out
}

type Op = (s: Schema, pick: number) => Schema

const RELAX: Op[] = [
  () => true,
  (s, p) => (typeof s === 'object' ? dropKey(s, p) : true),
  (s) => (typeof s === 'object' && typeof s.type === 'string' && s.type !== 'null' ? { ...s, type: [s.type, 'null'] } : s),
  (s) => (typeof s === 'object' && s.type === 'integer' ? { ...s, type: 'number' } : s),
  (s) =>
    bump(s, { maxLength: 2, maximum: 3, exclusiveMaximum: 1, maxItems: 1, maxProperties: 1, minLength: -1, minimum: -2, minItems: -1 }),
  (s, p) => (typeof s === 'object' && Array.isArray(s.enum) ? { ...s, enum: [...new Set([...s.enum, SCALARS[p % SCALARS.length]])] } : s),
  (s, p) => {
    if (typeof s !== 'object' || !Array.isArray(s.required)) return s
    const required = s.required as string[]
    return { ...s, required: required.filter((_, i) => i !== p % required.length) }
  },
  (s) => (typeof s === 'object' && s.additionalProperties === false ? { ...s, additionalProperties: true } : s),
  (s, p) => ({ anyOf: [s, { type: ['string', 'integer', 'null'][p % 3] }] }),
  (s) => (typeof s === 'object' && 'description' in s ? s : typeof s === 'object' ? { ...s, description: 'annotated' } : s),
]

const TIGHTEN: Op[] = [
  () => false,
  (s, p) => (typeof s === 'object' ? { ...s, required: [...new Set([...((s.required as string[]) ?? []), NAMES[p % NAMES.length]!])] } : s),
  (s) => (typeof s === 'object' ? { ...s, additionalProperties: false } : s),
  (s) => bump(s, { maxLength: -1, maximum: -2, minLength: 1, minimum: 1, minItems: 1, maxItems: -1 }),
  (s, p) =>
    typeof s === 'object' && Array.isArray(s.enum) && s.enum.length > 1
      ? { ...s, enum: s.enum.filter((_, i) => i !== p % (s.enum as unknown[]).length) }
      : s,
  (s, p) => (typeof s === 'object' ? { ...s, type: ['string', 'integer', 'object', 'array'][p % 4] } : s),
  (s, p) => (typeof s === 'object' ? { ...s, pattern: STRING_PATTERNS[p % STRING_PATTERNS.length] } : s),
]

function dropKey(s: S, pick: number): S {
  const keys = Object.keys(s).filter((k) => k !== '$defs')
  if (keys.length === 0) return s
  const { [keys[pick % keys.length]!]: _dropped, ...rest } = s
  return rest
}

function bump(s: Schema, by: Record<string, number>): Schema {
  if (typeof s !== 'object') return s
  const out: S = { ...s }
  for (const [k, d] of Object.entries(by)) if (typeof out[k] === 'number') out[k] = Math.max(0, (out[k] as number) + d)
  if (typeof out.maxItems === 'number' && out.maxItems < 1) out.maxItems = 1
  return out
}

function applyAt(doc: Schema, path: (string | number)[], op: Op, pick: number): Schema {
  if (path.length === 0) {
    // Keep `$defs` at the root, where the `$ref`s expect them.
    if (typeof doc !== 'object' || !doc.$defs) return op(doc, pick)
    const { $defs, ...root } = doc
    const out = op(root, pick)
    return typeof out === 'object' ? { ...out, $defs } : out ? { $defs } : { $defs, not: {} }
  }
  const [head, ...rest] = path
  const copy = Array.isArray(doc) ? [...doc] : { ...(doc as S) }
  ;(copy as Record<string | number, unknown>)[head!] = applyAt((doc as Record<string | number, Schema>)[head!]!, rest, op, pick)
  return copy as Schema
}

/** `doc` with 1–3 random mutations that change it, relaxing ones unless `tighten`. */
export function mutationsOf(doc: Schema, tighten: boolean): fc.Arbitrary<Schema> {
  const ops = tighten ? [...RELAX, ...TIGHTEN] : RELAX
  return fc.array(fc.tuple(fc.nat(), fc.nat(ops.length - 1), fc.nat(100)), { minLength: 1, maxLength: 3 }).map((steps) => {
    let out = doc
    for (const [where, op, pick] of steps) {
      // Only definitions something refers to; a no-op draw moves on to the next place and operation.
      const text = JSON.stringify(out)
      const referenced = (name: unknown) => text.split(`#/$defs/${String(name)}"`).length - 1 > (name === 'node' ? 1 : 0)
      const paths = schemaPaths(out).filter((p) => p[0] !== '$defs' || referenced(p[1]))
      for (let attempt = 0; attempt < 6; attempt++) {
        const path = paths[(where + attempt) % paths.length]!
        if (path[0] === '$defs' && path.length === 2 && path[1] === 'node') continue
        const next = applyAt(out, path, ops[(op + attempt) % ops.length]!, pick)
        if (JSON.stringify(next) !== JSON.stringify(out)) {
          out = next
          break
        }
      }
    }
    return out
  })
}

/** A reader for `writer`: a relaxing mutation (often compatible), a mixed one, or an unrelated schema. */
export function readerFor(writer: Schema): fc.Arbitrary<Schema> {
  return fc.oneof(
    { weight: 3, arbitrary: mutationsOf(writer, false) },
    { weight: 3, arbitrary: mutationsOf(writer, true) },
    { weight: 2, arbitrary: documentArb },
  )
}

// ---- instances ---------------------------------------------------------------------------------

const anyJson: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 3, arbitrary: smallJson },
  { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 2 }) },
)

/** Instances shaped by `s` (values it names, bounds, property names), often valid, sometimes not. */
export function instanceArb(doc: Schema): fc.Arbitrary<unknown> {
  return fc.oneof({ weight: 4, arbitrary: guided(doc, doc, 0) }, { weight: 1, arbitrary: anyJson }).map(asJson)
}

function resolve(root: Schema, ref: string): Schema | undefined {
  let node: unknown = root
  for (const seg of ref.replace(/^#\/?/, '').split('/').filter(Boolean)) node = (node as S | undefined)?.[seg]
  return node as Schema | undefined
}

function guided(s: Schema, root: Schema, depth: number): fc.Arbitrary<unknown> {
  if (typeof s === 'boolean' || depth > 4) return anyJson
  const options: fc.Arbitrary<unknown>[] = []
  if (typeof s.$ref === 'string') {
    const target = resolve(root, s.$ref)
    if (target !== undefined) options.push(guided(target, root, depth + 1))
  }
  if (Array.isArray(s.enum) && s.enum.length > 0) options.push(fc.constantFrom(...s.enum))
  if ('const' in s) options.push(fc.constant(s.const))
  for (const k of ['allOf', 'anyOf', 'oneOf']) {
    if (Array.isArray(s[k])) for (const c of s[k] as Schema[]) options.push(guided(c, root, depth + 1))
  }
  const types = s.type === undefined ? ['null', 'boolean', 'integer', 'number', 'string', 'array', 'object'] : [s.type].flat()
  for (const t of types) options.push(byType(String(t), s, root, depth))
  return options.length === 1 ? options[0]! : fc.oneof(...options)
}

function byType(t: string, s: S, root: Schema, depth: number): fc.Arbitrary<unknown> {
  switch (t) {
    case 'null':
      return fc.constant(null)
    case 'boolean':
      return fc.boolean()
    case 'integer':
    case 'number': {
      const near = [s.minimum, s.maximum, s.exclusiveMinimum, s.exclusiveMaximum].filter((v): v is number => typeof v === 'number')
      const pool = [...near, ...near.map((v) => v + 1), ...near.map((v) => v - 1), ...near.map((v) => v + 0.5), 0, 1, -1, 2.5, 5, 10, 12]
      return fc.oneof(fc.constantFrom(...pool), fc.integer({ min: -20, max: 20 }), fc.double({ min: -20, max: 20, noNaN: true }))
    }
    case 'string': {
      // Strings at and around the length bounds, shaped to meet the patterns the generator uses.
      const bounds = [s.minLength, s.maxLength].filter((v): v is number => typeof v === 'number')
      const lengths = [...new Set(bounds.flatMap((n) => [n - 1, n, n + 1]).filter((n) => n >= 0))]
      const shaped = lengths.flatMap((n) => ['a'.repeat(n), 'c'.repeat(n), `a${'b'.repeat(Math.max(0, n - 1))}`.slice(0, n)])
      return fc.oneof(fc.constantFrom(...SAMPLE_STRINGS, ...shaped), fc.string({ maxLength: 6 }))
    }
    case 'array': {
      const prefix = Array.isArray(s.prefixItems) ? (s.prefixItems as Schema[]).map((c) => guided(c, root, depth + 1)) : []
      const rest = s.items === undefined ? anyJson : guided(s.items as Schema, root, depth + 1)
      return fc
        .tuple(fc.tuple(...prefix), fc.array(rest, { maxLength: 3 }), fc.nat(prefix.length))
        .map(([head, tail, cut]) => (cut < prefix.length ? head.slice(0, cut) : [...head, ...tail]))
    }
    default: {
      const props = (s.properties ?? {}) as Record<string, Schema>
      const model: Record<string, fc.Arbitrary<unknown>> = {}
      for (const n of new Set([...NAMES, ...Object.keys(props)])) model[n] = n in props ? guided(props[n]!, root, depth + 1) : anyJson
      const extra = s.additionalProperties
      if (typeof extra === 'object' && extra !== null) model.zz = guided(extra as Schema, root, depth + 1)
      return fc.record(model, { requiredKeys: [] })
    }
  }
}
