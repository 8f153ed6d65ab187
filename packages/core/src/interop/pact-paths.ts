/**
 * Pact's matching-rule paths (`$.items[*].sku`, `$['a-b']`, `$.*`) and which rule governs a place in a
 * message: the most specific rule whose path matches the place exactly, else the closest ancestor's
 * (Pact applies a parent's rule to its children: a `type` rule on an object types its leaves).
 */
export type Segment = string | number
export type RuleSegment = string | number | '*'

export interface Matcher {
  match: string
  [option: string]: unknown
}

export interface RuleEntry {
  combine?: 'AND' | 'OR'
  matchers: Matcher[]
}

/** A category of rules (`body`, `metadata`), keyed by path. */
export type RuleSet = Record<string, RuleEntry>

export function parseRulePath(path: string): RuleSegment[] | undefined {
  if (!path.startsWith('$')) return undefined
  const out: RuleSegment[] = []
  const re = /\.([^.[\]]+)|\['([^']*)'\]|\[(\d+|\*)\]/gy
  re.lastIndex = 1
  while (re.lastIndex < path.length) {
    const m = re.exec(path)
    if (!m) return undefined
    if (m[1] !== undefined) out.push(m[1] === '*' ? '*' : m[1])
    else if (m[2] !== undefined) out.push(m[2])
    else if (m[3] !== undefined) out.push(m[3] === '*' ? '*' : Number(m[3]))
  }
  return out
}

export function formatPath(segments: readonly Segment[]): string {
  return `$${segments.map((s) => (typeof s === 'number' ? `[${s}]` : /^[A-Za-z_][A-Za-z0-9_-]*$/.test(s) ? `.${s}` : `['${s}']`)).join('')}`
}

/** Path segments for writing a rule: array indexes become `*` (a rule for every element). */
export function formatRulePath(segments: readonly RuleSegment[]): string {
  return formatPath(segments.map((s) => (s === '*' ? -1 : s))).replace(/\[-1\]/g, '[*]')
}

interface Parsed {
  segments: RuleSegment[]
  entry: RuleEntry
}

export class RuleIndex {
  readonly #rules: Parsed[] = []
  /** Rule paths Pact would accept but this reader cannot place; reported by the caller. */
  readonly unreadable: string[] = []

  constructor(rules: RuleSet | undefined) {
    for (const [path, entry] of Object.entries(rules ?? {})) {
      const segments = parseRulePath(path)
      if (segments && Array.isArray(entry?.matchers)) this.#rules.push({ segments, entry })
      else this.unreadable.push(path)
    }
  }

  /** The rule written for exactly this place (the most specific when several match). */
  exact(at: readonly Segment[]): RuleEntry | undefined {
    let best: Parsed | undefined
    let bestScore = -1
    for (const r of this.#rules) {
      if (r.segments.length !== at.length || !matches(r.segments, at)) continue
      const score = r.segments.filter((s) => s !== '*').length
      if (score > bestScore) [best, bestScore] = [r, score]
    }
    return best?.entry
  }

  /** The rule of the closest ancestor, which Pact applies to this place too. */
  inherited(at: readonly Segment[]): RuleEntry | undefined {
    for (let len = at.length - 1; len >= 0; len--) {
      const found = this.exact(at.slice(0, len))
      if (found) return found
    }
    return undefined
  }
}

function matches(rule: readonly RuleSegment[], at: readonly Segment[]): boolean {
  return rule.every((s, i) => s === '*' || s === at[i])
}
