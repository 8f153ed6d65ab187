/**
 * The decision: is every instance of the writer valid under the reader? The writer is expanded
 * into branches (writer.ts), each branch split by JSON type into facets (facet.ts), and each facet
 * walked against the reader's keywords: combinators here, per-type keywords in scalars.ts, arrays.ts
 * and objects.ts. Writers with finitely many values (`enum`/`const`) are checked value by value with
 * ajv itself. Anything not proven is a difference; `CANNOT_PROVE` marks those that are not findings.
 */
import type { JsonValue } from '../../json/types.js'
import { arrayKeywords } from './arrays.js'
import { Coinduction } from './coinduction.js'
import { arrayContains, conditional, objectDependents } from './dependents.js'
import { cannotProve, DifferenceKinds, dedupe, difference, kindForRejectedKeyword, show, typeNarrowed, weaken } from './differences.js'
import { type DisjointContext, disjoint } from './disjoint.js'
import { Equality } from './equal.js'
import { FACET_TYPES, type Facet, facetName, facetOf, inBranch, objectFactsOf, typeAccepts } from './facet.js'
import { T_ARRAY, T_NUMBER, T_OBJECT, T_STRING, typeBitOf, typeNames, typesOf, unmodelledGroups } from './keywords.js'
import {
  child,
  docFor,
  FALSE,
  isObject,
  jsonEqual,
  keyOf,
  keyOfList,
  type Located,
  listedValues,
  locate,
  resolveRef,
  type SchemaObject,
} from './normalise.js'
import { objectKeywords } from './objects.js'
import { numberKeywords, stringKeywords } from './scalars.js'
import type { Difference } from './types.js'
import { issuesAt, readerProblem } from './values.js'
import { type Atom, type Branch, expand, propertySchemasFor } from './writer.js'

/** Work units one check may spend before it gives up (pathological `not`/`oneOf` nesting). */
const STEP_BUDGET = 2_000_000
/** Values of a discriminating property up to this many are tried one by one. */
const MAX_SPLIT = 32
const NO_TRAIL: ReadonlySet<object> = new Set()

class BudgetExceeded extends Error {}

export class Checker implements DisjointContext {
  private readonly equality = new Equality()
  private readonly lists = new Coinduction<Difference[]>()
  private readonly disjoints = new Coinduction<boolean>()
  private readonly branches = new Map<string, Branch[]>()
  private readonly discriminatorAtoms = new Map<string, Atom>()
  private steps = 0

  /** Differences for writer ⊆ reader at the top of two documents. */
  check(writer: Located, reader: Located): Difference[] {
    try {
      return this.list([writer], reader, 0)
    } catch (e) {
      if (e instanceof BudgetExceeded) return [cannotProve('', 'the schemas are too intricate to decide within the step budget')]
      throw e
    }
  }

  list(writers: readonly Located[], reader: Located, depth: number): Difference[] {
    if (reader.schema === true || writers.some((w) => w.schema === false)) return []
    this.tick()
    if (writers.some((w) => this.equality.same(w, reader))) return []
    return this.lists.run(
      `${keyOfList(writers)}|${keyOf(reader)}`,
      depth,
      () => [],
      () => [cannotProve('', 'the schemas recurse through $refs without reaching a value')],
      () => dedupe(this.expandCached(writers).flatMap((b) => this.branch(b, reader, depth))),
    )
  }

  isEmpty(writers: readonly Located[], depth: number): boolean {
    return this.list(writers, FALSE, depth).length === 0
  }

  disjointLists(writers: readonly Located[], readers: readonly Located[], depth: number): boolean {
    if (readers.some((r) => r.schema === false)) return true
    this.tick()
    const yes = () => true
    const no = () => false
    return this.disjoints.run(`${keyOfList(writers)}|${keyOfList(readers)}`, depth, yes, no, () =>
      this.expandCached(writers).every((b) => {
        if (b.values) return b.values.every((v) => readers.some((r) => rejects(r, v)) || !inBranch(b, v))
        return FACET_TYPES.every((t) => {
          const f = facetOf(b, t)
          return !f || readers.some((r) => disjoint(this, f, r, depth, NO_TRAIL))
        })
      }),
    )
  }

  subsumed(f: Facet, reader: Located, depth: number, trail: ReadonlySet<object>): boolean {
    return this.facet(f, reader, depth, trail).length === 0
  }

  private tick(): void {
    if (++this.steps > STEP_BUDGET) throw new BudgetExceeded()
  }

  private expandCached(writers: readonly Located[]): Branch[] {
    const key = keyOfList(writers)
    let b = this.branches.get(key)
    if (!b) {
      b = expand(writers)
      this.branches.set(key, b)
    }
    return b
  }

  private branch(b: Branch, reader: Located, depth: number): Difference[] {
    if (b.values) return this.finiteFacetsProven(b, reader, depth) ? [] : valuesAgainst(b, reader)
    const out: Difference[] = []
    for (const type of FACET_TYPES) {
      const f = facetOf(b, type)
      if (!f) continue
      let found = this.facet(f, reader, depth, NO_TRAIL)
      if (found.length === 0 || this.provablyEmpty(f, depth)) continue
      const reason = approximation(f)
      if (reason) found = found.map((d) => weaken(d, reason))
      out.push(...found)
    }
    return out
  }

  /**
   * Listed writer values, tried first as finite facets by the structural rules (which need no
   * compiling); only when that does not prove them all does ajv check them one by one.
   */
  private finiteFacetsProven(b: Branch, reader: Located, depth: number): boolean {
    const byType = new Map<number, JsonValue[]>()
    for (const v of b.values!) {
      const bit = typeBitOf(v)
      const type = bit & T_NUMBER ? T_NUMBER : bit
      if (type === T_ARRAY || type === T_OBJECT) return false
      byType.set(type, [...(byType.get(type) ?? []), v])
    }
    for (const [type, values] of byType) {
      const integerOnly = type === T_NUMBER && values.every((v) => Number.isInteger(v))
      if (this.facet({ branch: b, type, integerOnly, values }, reader, depth, NO_TRAIL).length > 0) return false
    }
    return true
  }

  /** Emptiness not visible from bounds: a required property or item that cannot exist, or a `not` covering the facet. */
  private provablyEmpty(f: Facet, depth: number): boolean {
    if (f.type === T_OBJECT) {
      const o = objectFactsOf(f.branch)
      for (const name of o.required) {
        const writers = propertySchemasFor(o, name)
        if (writers.length > 0 && this.isEmpty(writers, depth + 1)) return true
      }
    }
    return f.branch.nots.some((n) => this.subsumed(f, n, depth, NO_TRAIL))
  }

  facet(f: Facet, r: Located, depth: number, trail: ReadonlySet<object>): Difference[] {
    const s = r.schema
    if (s === true) return []
    if (s === false) return [typeNarrowed('', facetName(f), 'nothing')]
    if (!isObject(s)) return []
    this.tick()
    if (f.branch.atoms.some((a) => this.equality.same(a, r))) return []
    const out: Difference[] = []
    if (typeof s.$ref === 'string') {
      const res = resolveRef(r, s.$ref)
      const target = res.located?.schema
      if (!res.located) out.push(cannotProve('', `the reader's ${res.problem}`))
      else if (typeof target === 'object' && trail.has(target)) {
        out.push(cannotProve('', 'the reader has a $ref cycle that never reaches a value'))
      } else out.push(...this.facet(f, res.located, depth, typeof target === 'object' ? new Set([...trail, target]) : trail))
    }
    if (Array.isArray(s.allOf)) for (const c of s.allOf) out.push(...this.facet(f, child(r, c), depth, trail))
    if (Array.isArray(s.anyOf)) out.push(...this.alternatives(f, r, 'anyOf', depth, trail, true))
    if (Array.isArray(s.oneOf)) out.push(...this.alternatives(f, r, 'oneOf', depth, trail, true))
    if (s.not !== undefined && !disjoint(this, f, child(r, s.not), depth, trail)) {
      out.push(cannotProve('', `the writer's ${facetName(f)} values are not known to stay clear of the reader's "not"`))
    }
    out.push(...this.ownKeywords(f, r, depth))
    return out
  }

  private ownKeywords(f: Facet, r: Located, depth: number): Difference[] {
    const s = r.schema as SchemaObject
    const readerTypes = typesOf(s)
    if (!typeAccepts(readerTypes, f)) return [typeNarrowed('', facetName(f), typeNames(readerTypes))]
    const out: Difference[] = []
    const listed = listedValues(s)
    if (listed) {
      if (!f.values) {
        return [
          difference(
            DifferenceKinds.ENUM_ADDED,
            '',
            `the reader accepts only ${listed.map(show).join(', ') || 'no value'}; the writer allows other ${facetName(f)} values`,
          ),
        ]
      }
      for (const v of f.values) {
        if (!listed.some((x) => jsonEqual(x, v))) {
          out.push(
            difference(
              DifferenceKinds.ENUM_VALUE_REMOVED,
              '',
              `the writer may send ${show(v)}, which the reader's enum/const does not list`,
            ),
          )
        }
      }
    }
    if (f.type === T_NUMBER) out.push(...numberKeywords(f, s))
    else if (f.type === T_STRING) out.push(...stringKeywords(f, s))
    else if (f.type === T_ARRAY) out.push(...arrayKeywords(this, f, r, depth))
    else if (f.type === T_OBJECT) out.push(...objectKeywords(this, f, r, depth))
    const dependents =
      f.type === T_OBJECT ? objectDependents(this, f, r, depth) : f.type === T_ARRAY ? arrayContains(this, f, r, depth) : undefined
    if (dependents) out.push(...dependents.differences)
    const conditionalHolds = conditional(this, f, r, depth).handled
    for (const { name, group } of unmodelledGroups(s, f.type)) {
      if (dependents?.handled.has(name) || conditionalHolds.has(name)) continue
      if (group.siblingDependent) {
        out.push(cannotProve('', `the reader's "${name}" depends on its sibling keywords and is not modelled`))
      } else if (!f.branch.atoms.some((a) => group.keywords.every((k) => this.equality.sameKeyword(k, a, r)))) {
        const what = group.keywords.length === 1 && !KNOWN_UNMODELLED.has(name) ? `the unknown keyword "${name}"` : `"${name}"`
        out.push(cannotProve('', `the reader uses ${what}, which is not modelled, and the writer does not declare the same constraint`))
      }
    }
    return out
  }

  private alternatives(
    f: Facet,
    r: Located,
    kind: 'anyOf' | 'oneOf',
    depth: number,
    trail: ReadonlySet<object>,
    maySplit: boolean,
  ): Difference[] {
    const alts = ((r.schema as SchemaObject)[kind] as unknown[]).map((c) => child(r, c))
    const candidates = alts.map((_, i) => i).filter((i) => !disjoint(this, f, alts[i]!, depth, trail))
    if (candidates.length === 0) {
      return [
        difference(
          DifferenceKinds.NO_MATCHING_ALTERNATIVE,
          '',
          `no alternative of the reader's ${kind} accepts the writer's ${facetName(f)} values`,
        ),
      ]
    }
    const results = new Map<number, Difference[]>()
    for (const i of candidates) {
      const found = this.facet(f, alts[i]!, depth, trail)
      results.set(i, found)
      if (found.length === 0 && kind === 'anyOf') return []
    }
    const fits = candidates.filter((i) => results.get(i)!.length === 0)
    if (candidates.length === 1) return results.get(candidates[0]!)!
    if (maySplit) {
      const pieces = this.splitByDiscriminator(f)
      if (pieces) return pieces.flatMap((piece) => this.alternatives(piece, r, kind, depth, trail, false))
    }
    const list = candidates.map((i) => `#${i}`).join(', ')
    if (kind === 'oneOf' && fits.length > 0) {
      return [
        cannotProve(
          '',
          `the writer's ${facetName(f)} values fit the reader's oneOf alternative #${fits[0]}, but may also match another of ${list} (oneOf needs exactly one)`,
        ),
      ]
    }
    const closest = candidates.map((i) => [i, results.get(i)!] as const).sort((a, b) => a[1].length - b[1].length)[0]!
    return [
      cannotProve(
        '',
        `no single alternative of the reader's ${kind} (${list}) accepts all the writer's ${facetName(f)} values; closest #${closest[0]}: ${closest[1][0]!.message}`,
      ),
    ]
  }

  /**
   * A writer object whose required property takes a few listed values (a discriminator) is split
   * into one facet per value, so each can meet its own alternative of a reader union.
   */
  private splitByDiscriminator(f: Facet): Facet[] | undefined {
    if (f.type !== T_OBJECT) return undefined
    const o = objectFactsOf(f.branch)
    for (const name of [...o.required].sort()) {
      const writers = propertySchemasFor(o, name)
      if (writers.length === 0) continue
      const branches = this.expandCached(writers)
      if (branches.length === 0 || !branches.every((b) => b.values)) continue
      const values: JsonValue[] = []
      for (const b of branches) for (const v of b.values!) if (!values.some((x) => jsonEqual(x, v)) && inBranch(b, v)) values.push(v)
      if (values.length < 2 || values.length > MAX_SPLIT) continue
      return values.map((v) => ({ ...f, branch: { ...f.branch, atoms: [...f.branch.atoms, this.discriminatorAtom(name, v)] } }))
    }
    return undefined
  }

  /** One object per (property, value) within a check, so recursion keys stay finite. */
  private discriminatorAtom(name: string, value: JsonValue): Atom {
    const key = JSON.stringify([name, value])
    let atom = this.discriminatorAtoms.get(key)
    if (!atom) {
      const schema = { properties: { [name]: { const: value } } }
      atom = locate(docFor(schema), schema) as Atom
      this.discriminatorAtoms.set(key, atom)
    }
    return atom
  }
}

const KNOWN_UNMODELLED = new Set([
  'if',
  'contains',
  'propertyNames',
  'dependentRequired',
  'dependentSchemas',
  'dependencies',
  'formatMinimum',
  'formatMaximum',
  'formatExclusiveMinimum',
  'formatExclusiveMaximum',
])

/** Why findings about this facet may be artefacts of approximating the writer. */
function approximation(f: Facet): string | undefined {
  if (f.branch.approximate) return `${f.branch.approximate}, so it was approximated`
  for (const a of f.branch.atoms) {
    for (const { name } of unmodelledGroups(a.schema, f.type)) {
      if (KNOWN_UNMODELLED.has(name) || name.startsWith('unevaluated') || name.startsWith('$')) {
        return `the writer's "${name}" was not taken into account`
      }
    }
  }
  return undefined
}

/** A branch's listed values, each checked by ajv against the reader. */
function valuesAgainst(b: Branch, reader: Located): Difference[] {
  const out: Difference[] = []
  for (const v of b.values!) {
    const issues = issuesAt(reader, v)
    if (!Array.isArray(issues)) return [cannotProve('', `the reader schema does not compile: ${issues.error}`)]
    const issue = issues[0]
    if (!issue || !inBranch(b, v)) continue
    const where = issue.pointer === '' ? '' : ` at ${issue.pointer}`
    out.push(
      difference(
        kindForRejectedKeyword(issue.keyword),
        issue.pointer,
        `the writer may send ${show(v)}, which the reader rejects${where} (expected ${issue.expected})`,
      ),
    )
  }
  if (out.length > 0) return out
  // Values ajv accepts prove nothing when the reader carries what ajv ignores but another validator may not.
  const problem = readerProblem(reader)
  return problem && b.values!.some((v) => inBranch(b, v)) ? [cannotProve('', problem)] : []
}

function rejects(r: Located, v: JsonValue): boolean {
  const issues = issuesAt(r, v)
  return Array.isArray(issues) && issues.length > 0
}
