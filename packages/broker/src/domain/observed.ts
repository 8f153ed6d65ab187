/**
 * `observed` evidence: what `treaty observe` saw a provider version really send, checked against a content
 * (the contract of one or more consumer versions). It complements `replay` and `static`, which prove what
 * the provider's code *would* send; observed traffic is what a forgotten code path or a config flag *did*.
 *
 * The rule, for a can-i-deploy row (one provider version × one content):
 * - **blocks** when that provider version's traffic, observed in the target environment or in any
 *   production environment, contained messages the content rejects (mismatches > 0). Reality wins over
 *   replay: a replay-verified row still blocks, because the wire shows the verification missed something.
 * - **warns** (a reason, deployable unchanged) when mismatches were observed only in other, non-production
 *   environments (staging traffic may come from test fixtures).
 * - otherwise nothing: observed messages that were all accepted never turn an unverified row into a
 *   verified one (a window of traffic does not exercise every code path); they are shown on the row.
 * Observations of every run add up: the counts of each run are its cumulative totals.
 */

/** One observer run's totals for one provider version × content × consumer version × channel. */
export interface ObservationFact {
  environment: string
  /** The environment is marked production. */
  production: boolean
  provider: string
  providerVersion: string
  contentHash: string
  consumer: string
  consumerVersion: string
  channel: string
  messages: number
  mismatches: number
  pointers: { pointer: string; expected: string; count: number }[]
  lastSeenAt: Date
}

export type ObservedEffect = 'block' | 'warn' | 'none'

export interface ObservedSummary {
  messages: number
  mismatches: number
  /** Environments the observations come from. */
  environments: string[]
  /** Channels where messages were rejected, and the most frequent failing pointers. */
  rejected: { channel: string; mismatches: number; messages: number; pointers: string[] }[]
  effect: ObservedEffect
  lastSeenAt: Date
}

/** The observed evidence for one row, or undefined when the provider version was never observed against the content. */
export function observedFor(
  observations: readonly ObservationFact[],
  provider: string,
  providerVersion: string,
  contentHash: string,
  targetEnvironment: string | undefined,
): ObservedSummary | undefined {
  const mine = observations.filter((o) => o.provider === provider && o.providerVersion === providerVersion && o.contentHash === contentHash)
  if (mine.length === 0) return undefined
  const byChannel = new Map<string, { channel: string; mismatches: number; messages: number; pointers: Map<string, number> }>()
  let messages = 0
  let mismatches = 0
  let effect: ObservedEffect = 'none'
  let lastSeenAt = mine[0]!.lastSeenAt
  for (const o of mine) {
    messages += o.messages
    mismatches += o.mismatches
    if (o.lastSeenAt > lastSeenAt) lastSeenAt = o.lastSeenAt
    if (o.mismatches === 0) continue
    if (o.production || o.environment === targetEnvironment) effect = 'block'
    else if (effect === 'none') effect = 'warn'
    const c = byChannel.get(o.channel) ?? { channel: o.channel, mismatches: 0, messages: 0, pointers: new Map<string, number>() }
    c.mismatches += o.mismatches
    c.messages += o.messages
    for (const p of o.pointers) c.pointers.set(p.pointer, (c.pointers.get(p.pointer) ?? 0) + p.count)
    byChannel.set(o.channel, c)
  }
  const rejected = [...byChannel.values()].map((c) => ({
    channel: c.channel,
    mismatches: c.mismatches,
    messages: c.messages,
    pointers: [...c.pointers]
      .sort((a, b) => b[1] - a[1])
      .slice(0, 3)
      .map(([p]) => p),
  }))
  return { messages, mismatches, environments: [...new Set(mine.map((o) => o.environment))].sort(), rejected, effect, lastSeenAt }
}

/** The sentence a release manager reads: whose live traffic broke whom, where, and how. */
export function observedSentence(consumer: string, provider: string, s: ObservedSummary): string {
  const what = s.rejected.map((r) => `${r.mismatches} of ${r.messages} messages on \`${r.channel}\` (${r.pointers.join(', ')})`).join('; ')
  const where = s.environments.join(', ')
  const lead = s.effect === 'block' ? 'observed' : 'warning: observed'
  return `${lead}: live traffic of ${provider} in ${where} would break ${consumer}: ${what}`
}

/** Sets `observed` on each row that has observed evidence; returns the reasons, blocking ones first. */
export function annotateObserved(
  rows: {
    consumer: string
    consumerVersion: string
    provider: string
    providerVersion: string | null
    contentHash: string
    observed?: ObservedSummary
  }[],
  observations: readonly ObservationFact[],
  targetEnvironment: string | undefined,
): { blocks: string[]; warnings: string[] } {
  const blocks: string[] = []
  const warnings: string[] = []
  if (observations.length === 0) return { blocks, warnings }
  for (const row of rows) {
    if (row.providerVersion === null) continue
    const s = observedFor(observations, row.provider, row.providerVersion, row.contentHash, targetEnvironment)
    if (!s) continue
    row.observed = s
    if (s.effect === 'none') continue
    const sentence = observedSentence(`${row.consumer} ${row.consumerVersion}`, `${row.provider} ${row.providerVersion}`, s)
    ;(s.effect === 'block' ? blocks : warnings).push(sentence)
  }
  return { blocks, warnings }
}
