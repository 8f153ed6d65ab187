/**
 * Reader object keywords against a writer facet. Named properties (any name either side mentions)
 * are compared one by one: the writer's schemas for that name (from `properties`, matching
 * `patternProperties`, else `additionalProperties`, in every conjunct) against the reader's. Every
 * other name falls into a class — "matches writer pattern P" or "matches no writer pattern" — and a
 * class must satisfy whatever the reader may apply to it: its `additionalProperties` and every one
 * of its `patternProperties`, since which reader patterns match is not decided (regexes), except
 * that a reader pattern identical to the class's writer pattern surely applies.
 */

import { renderPointer } from '../../json/pointer.js'
import { cannotProve, DifferenceKinds, difference, under } from './differences.js'
import { type Facet, objectFactsOf, type Prover } from './facet.js'
import { child, isObject, type Located, matches, type SchemaObject } from './normalise.js'
import type { Difference } from './types.js'
import { closedNames, type ObjectFacts, propertySchemasFor } from './writer.js'

type Source = 'property' | 'pattern' | 'additional'

interface ReaderSchemas {
  schemas: { located: Located; source: Source }[]
  problem?: string
}

/** The reader's schemas for property `name`, as ajv applies them. */
export function readerPropertySchemas(r: Located, name: string): ReaderSchemas {
  const s = r.schema as SchemaObject
  const schemas: ReaderSchemas['schemas'] = []
  const named = isObject(s.properties) && Object.hasOwn(s.properties, name)
  if (named) schemas.push({ located: child(r, (s.properties as SchemaObject)[name]), source: 'property' })
  let matched = false
  if (isObject(s.patternProperties)) {
    for (const [pattern, schema] of Object.entries(s.patternProperties)) {
      const hit = matches(pattern, name)
      if (hit === undefined) return { schemas, problem: `the reader's patternProperties /${pattern}/ is not a valid regular expression` }
      if (hit) {
        matched = true
        schemas.push({ located: child(r, schema), source: 'pattern' })
      }
    }
  }
  if (!named && !matched && s.additionalProperties !== undefined) {
    schemas.push({ located: child(r, s.additionalProperties), source: 'additional' })
  }
  return { schemas }
}

export function objectKeywords(p: Prover, f: Facet, r: Located, depth: number): Difference[] {
  const s = r.schema as SchemaObject
  const w = objectFactsOf(f.branch)
  const out: Difference[] = []
  const required = Array.isArray(s.required) ? s.required.map(String) : []
  for (const name of required) {
    if (!w.required.has(name)) {
      out.push(
        difference(
          DifferenceKinds.REQUIRED_PROPERTY_ADDED,
          renderPointer([name]),
          `the reader requires "${name}"; the writer does not always send it`,
        ),
      )
    }
  }
  if (typeof s.minProperties === 'number') {
    const least = Math.max(w.required.size, w.minProperties)
    if (least < s.minProperties) {
      out.push(
        difference(
          DifferenceKinds.MIN_PROPERTIES_INCREASED,
          '',
          `the reader requires at least ${s.minProperties} properties; the writer may send ${least}`,
        ),
      )
    }
  }
  if (typeof s.maxProperties === 'number') {
    const most = Math.min(w.maxProperties, closedNames(w)?.length ?? Number.POSITIVE_INFINITY)
    if (most > s.maxProperties) {
      out.push(
        difference(
          DifferenceKinds.MAX_PROPERTIES_DECREASED,
          '',
          `the reader accepts at most ${s.maxProperties} properties; the writer may send ${most === Number.POSITIVE_INFINITY ? 'more' : most}`,
        ),
      )
    }
  }
  if (s.properties === undefined && s.patternProperties === undefined && s.additionalProperties === undefined) return out
  const names = new Set<string>([...required, ...w.required])
  if (isObject(s.properties)) for (const k of Object.keys(s.properties)) names.add(k)
  for (const m of w.models) for (const k of Object.keys(m.properties)) names.add(k)
  for (const name of names) out.push(...namedProperty(p, w, r, name, depth))
  out.push(...otherProperties(p, w, r, depth))
  return out
}

function namedProperty(p: Prover, w: ObjectFacts, r: Located, name: string, depth: number): Difference[] {
  const at = renderPointer([name])
  const reader = readerPropertySchemas(r, name)
  if (reader.problem) return [cannotProve(at, reader.problem)]
  if (reader.schemas.length === 0) return []
  const writers = propertySchemasFor(w, name)
  const out: Difference[] = []
  for (const { located, source } of reader.schemas) {
    if (located.schema === true) continue
    if (located.schema === false) {
      if (p.isEmpty(writers, depth + 1)) continue
      return [
        source === 'additional'
          ? difference(
              DifferenceKinds.ADDITIONAL_PROPERTIES_NARROWED,
              at,
              `the reader does not allow "${name}" (additionalProperties: false); the writer may send it`,
            )
          : difference(DifferenceKinds.PROPERTY_FORBIDDEN, at, `the reader forbids "${name}"; the writer may send it`),
      ]
    }
    out.push(...under(at, p.list(writers, located, depth + 1)))
  }
  return out
}

interface NameClass {
  /** Completes "the writer may send …". */
  label: string
  pattern: string | undefined
  writers: Located[]
}

function otherProperties(p: Prover, w: ObjectFacts, r: Located, depth: number): Difference[] {
  const s = r.schema as SchemaObject
  const additional = s.additionalProperties === undefined ? undefined : child(r, s.additionalProperties)
  const patterns: [string, Located][] = isObject(s.patternProperties)
    ? Object.entries(s.patternProperties).map(([q, v]) => [q, child(r, v)])
    : []
  if ((additional === undefined || additional.schema === true) && patterns.length === 0) return []
  const out: Difference[] = []
  for (const c of nameClasses(w)) {
    const same = c.pattern === undefined ? undefined : patterns.find(([q]) => q === c.pattern)
    const requirements: { located: Located; pattern: string | undefined }[] = []
    if (!same && additional) requirements.push({ located: additional, pattern: undefined })
    for (const [q, located] of patterns) requirements.push({ located, pattern: q })
    for (const req of requirements) {
      if (req.located.schema === true) continue
      const surely = req.pattern === undefined || req.pattern === c.pattern
      const found =
        req.located.schema === false
          ? p.isEmpty(c.writers, depth + 1)
            ? []
            : [difference(DifferenceKinds.ADDITIONAL_PROPERTIES_NARROWED, '', forbidden(c, req.pattern))]
          : p.list(c.writers, req.located, depth + 1)
      if (found.length === 0) continue
      if (!surely) {
        out.push(cannotProve('/*', `${c.label} may match the reader's patternProperties /${req.pattern}/: ${found[0]!.message}`))
      } else out.push(...under('/*', found))
    }
  }
  return out
}

function forbidden(c: NameClass, pattern: string | undefined): string {
  const rule = pattern === undefined ? 'additionalProperties: false' : `patternProperties /${pattern}/: false`
  return `the reader does not allow ${c.label} (${rule}); the writer may send them`
}

/** Every name no side mentions falls in at least one of these classes; `writers` hold for all its names. */
function nameClasses(w: ObjectFacts): NameClass[] {
  const classes: NameClass[] = [
    {
      label: 'properties other than the named ones',
      pattern: undefined,
      writers: w.models.flatMap((m) => (m.additional ? [m.additional] : [])),
    },
  ]
  const unpatterned = w.models.filter((m) => m.patterns.length === 0).flatMap((m) => (m.additional ? [m.additional] : []))
  for (const m of w.models) {
    for (const [pattern, located] of m.patterns) {
      const alike = w.models.flatMap((o) => (o === m ? [] : o.patterns.filter(([q]) => q === pattern).map(([, l]) => l)))
      classes.push({ label: `properties matching /${pattern}/`, pattern, writers: [located, ...alike, ...unpatterned] })
    }
  }
  return classes
}
