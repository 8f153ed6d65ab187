/**
 * The stable kinds of difference and the sentences that go with them. Kinds are API: tools match on
 * them, so a kind is never renamed; new ones may be added. Every kind except `CANNOT_PROVE` means the
 * engine found a reader requirement the writer does not guarantee.
 */
import type { Difference } from './types.js'

/** Side table for merging: one `TYPE_NARROWED` per pointer reads better than one per JSON type. */
const typeMeta = new WeakMap<Difference, { type: string; accepts: string; reason?: string }>()

export const DifferenceKinds = {
  /** The writer allows a JSON type (null, a non-integer number, …) the reader does not accept. */
  TYPE_NARROWED: 'TYPE_NARROWED',
  /** A value the writer may send (from its `enum`/`const`) is rejected by the reader. */
  ENUM_VALUE_REMOVED: 'ENUM_VALUE_REMOVED',
  /** The reader accepts only listed values (`enum`/`const`) where the writer allows any value of a type. */
  ENUM_ADDED: 'ENUM_ADDED',
  /** The reader requires a property the writer does not always send. */
  REQUIRED_PROPERTY_ADDED: 'REQUIRED_PROPERTY_ADDED',
  /** The reader forbids a named property (`properties: { x: false }`) the writer may send. */
  PROPERTY_FORBIDDEN: 'PROPERTY_FORBIDDEN',
  /** The reader closes (or constrains) properties beyond the named ones that the writer may send. */
  ADDITIONAL_PROPERTIES_NARROWED: 'ADDITIONAL_PROPERTIES_NARROWED',
  MIN_PROPERTIES_INCREASED: 'MIN_PROPERTIES_INCREASED',
  MAX_PROPERTIES_DECREASED: 'MAX_PROPERTIES_DECREASED',
  MIN_LENGTH_INCREASED: 'MIN_LENGTH_INCREASED',
  MAX_LENGTH_DECREASED: 'MAX_LENGTH_DECREASED',
  /** The reader requires a `pattern` and the writer's strings are not constrained by any pattern or format. */
  PATTERN_ADDED: 'PATTERN_ADDED',
  /** The reader requires a `format` the writer does not declare. */
  FORMAT_ADDED: 'FORMAT_ADDED',
  /** The reader requires a `format` other than the one the writer declares. */
  FORMAT_CHANGED: 'FORMAT_CHANGED',
  /** The reader's lower bound (`minimum`/`exclusiveMinimum`) is above the writer's. */
  MINIMUM_INCREASED: 'MINIMUM_INCREASED',
  /** The reader's upper bound (`maximum`/`exclusiveMaximum`) is below the writer's. */
  MAXIMUM_DECREASED: 'MAXIMUM_DECREASED',
  /** The reader requires a `multipleOf` the writer's numbers are not known to satisfy. */
  MULTIPLE_OF_ADDED: 'MULTIPLE_OF_ADDED',
  MIN_ITEMS_INCREASED: 'MIN_ITEMS_INCREASED',
  /** The reader accepts fewer items (`maxItems`, or `prefixItems` closed by `items: false`). */
  MAX_ITEMS_DECREASED: 'MAX_ITEMS_DECREASED',
  UNIQUE_ITEMS_ADDED: 'UNIQUE_ITEMS_ADDED',
  /** No alternative of the reader's `anyOf`/`oneOf` can accept some of the writer's values. */
  NO_MATCHING_ALTERNATIVE: 'NO_MATCHING_ALTERNATIVE',
  /** A concrete value the writer allows fails another reader keyword (`not`, `contains`, `if`, …). */
  VALUE_REJECTED: 'VALUE_REJECTED',
  /** The engine could not prove compatibility (unknown keyword, regex containment, external `$ref`, …). */
  CANNOT_PROVE: 'CANNOT_PROVE',
} as const

export type DifferenceKind = (typeof DifferenceKinds)[keyof typeof DifferenceKinds]

/** Kind for a value the writer may send that ajv rejects with `keyword` in the reader. */
export function kindForRejectedKeyword(keyword: string): DifferenceKind {
  switch (keyword) {
    case 'type':
    case 'false schema':
      return DifferenceKinds.TYPE_NARROWED
    case 'enum':
    case 'const':
      return DifferenceKinds.ENUM_VALUE_REMOVED
    case 'required':
      return DifferenceKinds.REQUIRED_PROPERTY_ADDED
    case 'additionalProperties':
      return DifferenceKinds.ADDITIONAL_PROPERTIES_NARROWED
    case 'minProperties':
      return DifferenceKinds.MIN_PROPERTIES_INCREASED
    case 'maxProperties':
      return DifferenceKinds.MAX_PROPERTIES_DECREASED
    case 'minLength':
      return DifferenceKinds.MIN_LENGTH_INCREASED
    case 'maxLength':
      return DifferenceKinds.MAX_LENGTH_DECREASED
    case 'pattern':
      return DifferenceKinds.PATTERN_ADDED
    case 'format':
      return DifferenceKinds.FORMAT_ADDED
    case 'minimum':
    case 'exclusiveMinimum':
      return DifferenceKinds.MINIMUM_INCREASED
    case 'maximum':
    case 'exclusiveMaximum':
      return DifferenceKinds.MAXIMUM_DECREASED
    case 'multipleOf':
      return DifferenceKinds.MULTIPLE_OF_ADDED
    case 'minItems':
      return DifferenceKinds.MIN_ITEMS_INCREASED
    case 'maxItems':
      return DifferenceKinds.MAX_ITEMS_DECREASED
    case 'uniqueItems':
      return DifferenceKinds.UNIQUE_ITEMS_ADDED
    case 'anyOf':
    case 'oneOf':
      return DifferenceKinds.NO_MATCHING_ALTERNATIVE
    default:
      return DifferenceKinds.VALUE_REJECTED
  }
}

export function difference(kind: DifferenceKind, pointer: string, message: string): Difference {
  return { pointer, kind, message }
}

/** A `CANNOT_PROVE` difference; `why` completes "cannot prove: …". */
export function cannotProve(pointer: string, why: string): Difference {
  return { pointer, kind: DifferenceKinds.CANNOT_PROVE, message: `cannot prove: ${why}` }
}

/** Re-labels a finding as unproven because the writer was only approximated (`reason`). */
export function weaken(d: Difference, reason: string): Difference {
  if (d.kind === DifferenceKinds.CANNOT_PROVE) return d
  const weak = cannotProve(d.pointer, `${d.message} (${reason})`)
  const meta = typeMeta.get(d)
  if (meta) typeMeta.set(weak, { ...meta, reason })
  return weak
}

/** `diffs` re-rooted under `segment` (already escaped, e.g. `/name` or `/*`). */
export function under(segment: string, diffs: Difference[]): Difference[] {
  if (diffs.length === 0 || segment === '') return diffs
  return diffs.map((d) => {
    const moved = { ...d, pointer: segment + d.pointer }
    const meta = typeMeta.get(d)
    if (meta) typeMeta.set(moved, meta)
    return moved
  })
}

/** Drops exact repeats (several facets or branches often find the same thing), keeping the first order. */
export function dedupe(diffs: Difference[]): Difference[] {
  const seen = new Set<string>()
  const out: Difference[] = []
  for (const d of diffs) {
    const key = `${d.pointer}\u0000${d.kind}\u0000${d.message}`
    if (seen.has(key)) continue
    seen.add(key)
    out.push(d)
  }
  return out
}

/** A value in messages: JSON, shortened when long. */
export function show(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value)
  return text.length > 60 ? `${text.slice(0, 57)}...` : text
}

export function typeNarrowed(pointer: string, type: string, accepts: string): Difference {
  const d = difference(DifferenceKinds.TYPE_NARROWED, pointer, typeSentence([type], accepts))
  typeMeta.set(d, { type, accepts })
  return d
}

function typeSentence(types: string[], accepts: string): string {
  const list = types.length === 1 ? types[0] : `${types.slice(0, -1).join(', ')} and ${types.at(-1)}`
  return `the writer allows ${list}, which the reader does not accept (it accepts ${accepts})`
}

/** Merges `TYPE_NARROWED` differences found per JSON type at one pointer into one sentence. */
export function mergeTypeNarrowed(diffs: Difference[]): Difference[] {
  const groups = new Map<string, { at: number; types: string[]; accepts: string; reason?: string; pointer: string }>()
  const out: (Difference | undefined)[] = []
  for (const d of diffs) {
    const meta = typeMeta.get(d)
    if (!meta) {
      out.push(d)
      continue
    }
    const key = `${d.pointer}\u0000${meta.accepts}\u0000${meta.reason ?? ''}`
    const group = groups.get(key)
    if (group) {
      if (!group.types.includes(meta.type)) group.types.push(meta.type)
      continue
    }
    groups.set(key, { at: out.length, types: [meta.type], accepts: meta.accepts, reason: meta.reason, pointer: d.pointer })
    out.push(undefined)
  }
  for (const g of groups.values()) {
    const merged = difference(DifferenceKinds.TYPE_NARROWED, g.pointer, typeSentence(g.types, g.accepts))
    out[g.at] = g.reason ? cannotProve(g.pointer, `${merged.message} (${g.reason})`) : merged
  }
  return out.filter((d): d is Difference => d !== undefined)
}
