/**
 * Reader keywords that apply only under a condition: `dependentRequired` and `dependentSchemas` (also
 * draft-07 `dependencies`, rewritten into them by draft-normalise.ts) hold when the writer never sends
 * the trigger property or always satisfies the consequence; `contains`/`minContains` holds when the
 * reader asks for none, or the writer's own `contains` is within the reader's with at least as many
 * matches; `if`/`then`/`else` holds when the writer meets both branches, or meets `if` and `then`.
 * What is not proven here is left to the "unmodelled keyword" rule in subsume.ts.
 */

import { renderPointer } from '../../json/pointer.js'
import { cannotProve, DifferenceKinds, difference } from './differences.js'
import { type Facet, objectFactsOf, type Prover } from './facet.js'
import { child, isObject, type Located, type SchemaObject } from './normalise.js'
import type { Difference } from './types.js'
import { type ObjectFacts, propertySchemasFor } from './writer.js'

/** The checker's facet-against-schema step, which a dependent schema needs. */
export interface FacetProver extends Prover {
  facet(f: Facet, r: Located, depth: number, trail: ReadonlySet<object>): Difference[]
}

export interface DependentResult {
  differences: Difference[]
  /** Keyword groups (by leading keyword) decided here, proven or refuted. */
  handled: Set<string>
}

export function objectDependents(p: FacetProver, f: Facet, r: Located, depth: number): DependentResult {
  const s = r.schema as SchemaObject
  const out: DependentResult = { differences: [], handled: new Set() }
  const w = objectFactsOf(f.branch)
  if (isObject(s.dependentRequired)) {
    out.handled.add('dependentRequired')
    for (const [trigger, names] of Object.entries(s.dependentRequired)) {
      if (!Array.isArray(names) || neverSends(p, w, trigger, depth)) continue
      const promised = writerPromises(f, trigger)
      for (const name of names.map(String)) {
        if (w.required.has(name) || promised.has(name)) continue
        out.differences.push(
          difference(
            DifferenceKinds.REQUIRED_PROPERTY_ADDED,
            renderPointer([name]),
            `the reader requires "${name}" whenever "${trigger}" is present; the writer does not always send it`,
          ),
        )
      }
    }
  }
  if (isObject(s.dependentSchemas)) {
    out.handled.add('dependentSchemas')
    for (const [trigger, schema] of Object.entries(s.dependentSchemas)) {
      if (neverSends(p, w, trigger, depth)) continue
      const found = p.facet(f, child(r, schema), depth, new Set())
      if (found.length === 0) continue
      // Checked as if always present: a finding is certain only when the trigger always is.
      if (w.required.has(trigger)) out.differences.push(...found)
      else out.differences.push(cannotProve('', `when "${trigger}" is present the reader also requires: ${found[0]!.message}`))
    }
  }
  return out
}

export function arrayContains(p: Prover, f: Facet, r: Located, depth: number): DependentResult {
  const s = r.schema as SchemaObject
  const out: DependentResult = { differences: [], handled: new Set() }
  if (s.contains === undefined || s.maxContains !== undefined) return out
  const least = typeof s.minContains === 'number' ? s.minContains : 1
  if (least === 0) {
    out.handled.add('contains')
    return out
  }
  const reader = child(r, s.contains)
  for (const a of f.branch.atoms) {
    const w = a.schema as SchemaObject
    if (typeof w !== 'object' || w.contains === undefined) continue
    const writerLeast = typeof w.minContains === 'number' ? w.minContains : 1
    if (writerLeast >= least && p.list([child(a, w.contains)], reader, depth + 1).length === 0) {
      out.handled.add('contains')
      return out
    }
  }
  return out
}

/** Whether the writer can never send property `name` (its schemas for it admit no value). */
function neverSends(p: Prover, w: ObjectFacts, name: string, depth: number): boolean {
  if (w.required.has(name)) return false
  const writers = propertySchemasFor(w, name)
  return writers.length > 0 && p.isEmpty(writers, depth + 1)
}

/** Properties the writer's own dependent keywords promise whenever `trigger` is present. */
function writerPromises(f: Facet, trigger: string): Set<string> {
  const out = new Set<string>()
  for (const a of f.branch.atoms) {
    const w = a.schema as SchemaObject
    if (typeof w !== 'object') continue
    const required = isObject(w.dependentRequired) ? w.dependentRequired[trigger] : undefined
    if (Array.isArray(required)) for (const n of required) out.add(String(n))
    const schema = isObject(w.dependentSchemas) ? w.dependentSchemas[trigger] : undefined
    if (isObject(schema) && Array.isArray(schema.required)) for (const n of schema.required) out.add(String(n))
  }
  return out
}

/** Reader `if`/`then`/`else`: proven when the writer satisfies `then` and `else`, or `if` and `then`. */
export function conditional(p: FacetProver, f: Facet, r: Located, depth: number): DependentResult {
  const s = r.schema as SchemaObject
  const out: DependentResult = { differences: [], handled: new Set() }
  if (s.if === undefined) return out
  const within = (schema: unknown) => schema === undefined || p.facet(f, child(r, schema), depth, new Set()).length === 0
  if (within(s.then) && (within(s.else) || within(s.if))) out.handled.add('if')
  return out
}
