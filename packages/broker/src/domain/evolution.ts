/** How a consumer's contract changed from its previous version, expectation by expectation (the contract page). */
import { type Contract, checkEvolution, type JsonSchema } from '@treaty/core'
import type { ExpectationEvolution } from '@treaty/core/wire'

/** Each expectation of `current` against the same description in `previous`, in checkEvolution's words. */
export function contractEvolution(previous: Contract, current: Contract): ExpectationEvolution[] {
  const before = new Map(previous.expectations.map((e) => [e.description, e]))
  const out: ExpectationEvolution[] = []
  for (const e of current.expectations) {
    const old = before.get(e.description)
    before.delete(e.description)
    if (!old) {
      out.push({ description: e.description, change: 'added', channel: e.channel, checks: [] })
      continue
    }
    const checks: ExpectationEvolution['checks'] = []
    const parts: ['payload' | 'headers', JsonSchema | undefined, JsonSchema | undefined][] = [
      ['payload', old.payload.schema, e.payload.schema],
      ['headers', old.headers?.schema, e.headers?.schema],
    ]
    for (const [part, a, b] of parts) {
      if (a === undefined && b === undefined) continue
      const result = checkEvolution([a ?? {}, b ?? {}], 'full')
      for (const c of result.checks) if (c.differences.length > 0) checks.push({ part, direction: c.direction, differences: c.differences })
    }
    const same = JSON.stringify(old) === JSON.stringify(e)
    out.push({ description: e.description, change: same ? 'unchanged' : 'changed', channel: e.channel, checks })
  }
  for (const old of before.values()) out.push({ description: old.description, change: 'removed', channel: old.channel, checks: [] })
  return out
}
