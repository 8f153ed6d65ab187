/**
 * Impact: who does a provider change hurt, field by field, before it ships?
 *
 * What the provider would send after the change (its producers' schemas) is compared with every consumer
 * version's expectations by the static check (@treaty/core's provider/static-check.ts), which uses the compatibility engine.
 * Findings are root causes, by the one grouping every report uses (`rootCauses` in @treaty/core): the
 * static check already gives one difference per cause and expectation (a renamed field is one); here the
 * same field across expectations and consumer versions becomes one finding, and a field under one that
 * already breaks (a removed object's members) is not reported again.
 */

import { rootCauses, type StaticCheckDifference, staticDifferences } from '@treaty/core'
import { type ConsumerVersionRef, consumerVersionLabel, type ImpactFinding, type ImpactReport } from '@treaty/core/client'
import { type ConsumerContractFact, fieldsRead, fieldUsageMap } from './field-usage.js'
import { selectPublications } from './selectors.js'
import type { ExpectationFact, ProviderSchemaProducer, PublicationFact } from './types.js'

export interface ImpactInput {
  provider: string
  /** What the provider would send after the change, as schemas (checked statically)… */
  producers?: readonly ProviderSchemaProducer[]
  /** …or what replaying each content hash against the changed producers found (root causes per expectation and part). */
  replayed?: ReadonlyMap<string, readonly StaticCheckDifference[]>
  /** Consumer versions on main branches and deployed, with their expectations of `provider`. */
  consumers: readonly ConsumerContractFact[]
  /** When given: only consumer versions deployed in these environments, and main-branch heads, count. */
  environments?: readonly string[]
}

/**
 * The consumer versions an impact looks at: the latest from each consumer's main branch and every deployed
 * one (the default selectors of verification), each marked with whether it is a main-branch head.
 */
export function impactCandidates(
  publications: readonly PublicationFact[],
  expectations: ReadonlyMap<string, readonly ExpectationFact[]>,
): ConsumerContractFact[] {
  const heads = new Set(selectPublications(publications, [{ kind: 'mainBranch' }], undefined).map((s) => s.publication))
  return selectPublications(publications, [{ kind: 'mainBranch' }, { kind: 'deployed' }], undefined).map(({ publication: p }) => ({
    consumer: p.consumer,
    version: p.consumerVersion,
    environments: [...p.deployedIn].sort(),
    mainBranch: heads.has(p),
    contentHash: p.contentHash,
    expectations: expectations.get(p.contentHash) ?? [],
  }))
}

const CHANGES: Record<string, string> = {
  NO_PRODUCER: 'stops sending',
  REQUIRED_PROPERTY_ADDED: 'removes or makes optional',
  TYPE_NARROWED: 'changes the type of',
  ENUM_VALUE_REMOVED: 'sends new values in',
  ENUM_ADDED: 'sends any value in',
  PROPERTY_FORBIDDEN: 'sends a field forbidden at',
  ADDITIONAL_PROPERTIES_NARROWED: 'sends extra fields in',
  CANNOT_PROVE: 'cannot prove compatibility of',
}

/** What the change does to the field, in a few words. */
export function changeOf(kind: string): string {
  return CHANGES[kind] ?? 'loosens the constraints of'
}

/** The consumer versions that count for `environments`, with only those environments named. */
export function consumersIn(consumers: readonly ConsumerContractFact[], environments?: readonly string[]): ConsumerContractFact[] {
  if (!environments || environments.length === 0) return [...consumers]
  return consumers
    .map((c) => ({ ...c, environments: c.environments.filter((e) => environments.includes(e)) }))
    .filter((c) => c.mainBranch || c.environments.length > 0)
}

interface Hit {
  channel: string
  part: 'payload' | 'headers'
  pointer: string
  kind: string
  message: string
  consumer: ConsumerContractFact
}

export function impactOf(input: ImpactInput): ImpactReport {
  const consumers = consumersIn(input.consumers, input.environments)
  const hits: Hit[] = []
  for (const c of consumers) {
    const channelOf = new Map(c.expectations.map((e) => [e.description, e.channel]))
    for (const d of differencesOf(c, input)) {
      hits.push({
        channel: channelOf.get(d.expectation) ?? '',
        part: d.part,
        pointer: d.pointer,
        kind: d.kind,
        message: d.message,
        consumer: c,
      })
    }
  }
  // One finding per root cause across consumers: the same field on the same channel and part.
  const findings = rootCauses(hits, { scope: (h) => `${h.channel}\u0000${h.part}` })
    .map((cause) => finding(cause.members, consumers))
    .sort(byField)
  return {
    provider: input.provider,
    breaksDeployed: findings.some((f) => f.breaksDeployed),
    findings,
    consumers: consumers.map(ref),
    usage: fieldUsageMap(consumers),
  }
}

function finding(group: Hit[], consumers: readonly ConsumerContractFact[]): ImpactFinding {
  const first = group[0]!
  const broken = new Map<ConsumerContractFact, true>()
  for (const h of group) broken.set(h.consumer, true)
  const breaks = [...broken.keys()].map(ref).sort((a, b) => (a.consumer === b.consumer ? 0 : a.consumer < b.consumer ? -1 : 1))
  const brokenNames = new Set(breaks.map((b) => b.consumer))
  const unaffected = [
    ...new Set(
      consumers
        .filter((c) => !brokenNames.has(c.consumer) && c.expectations.some((e) => e.channel === first.channel))
        .filter((c) => !reads(c, first))
        .map((c) => c.consumer),
    ),
  ].sort()
  const f: Omit<ImpactFinding, 'summary'> = {
    channel: first.channel,
    part: first.part,
    pointer: first.pointer,
    kind: first.kind,
    change: changeOf(first.kind),
    message: first.message,
    breaks,
    unaffected,
    breaksDeployed: breaks.some((b) => b.environments.length > 0),
  }
  return { ...f, summary: summaryOf(f) }
}

/** Whether a consumer reads the field or something inside it (for the whole message: anything on the channel). */
function reads(c: ConsumerContractFact, h: Hit): boolean {
  const on = c.expectations.filter((e) => e.channel === h.channel)
  if (h.pointer === '') return on.length > 0
  const inside = (p: string) => p === h.pointer || p.startsWith(`${h.pointer}/`)
  return on.some((e) => fieldsRead(e).some((f) => f.part === h.part && inside(f.pointer)))
}

function ref(c: ConsumerContractFact): ConsumerVersionRef {
  return { consumer: c.consumer, version: c.version, environments: c.environments, mainBranch: c.mainBranch }
}

/**
 * What breaks `c`: the static check against the producers' schemas, or what the replay of its content found. A
 * content the replay did not cover (published after its contracts were fetched) is not proven: a finding, never a pass.
 */
function differencesOf(c: ConsumerContractFact, input: ImpactInput): readonly StaticCheckDifference[] {
  if (!input.replayed) return staticDifferences(c.expectations, input.producers ?? [])
  const found = input.replayed.get(c.contentHash)
  if (found) return found
  return c.expectations.slice(0, 1).map((e) => ({
    expectation: e.description,
    part: 'payload' as const,
    pointer: '',
    kind: 'CANNOT_PROVE',
    message: `cannot prove: ${c.consumer} ${c.version}'s contract was not replayed (published meanwhile?); run treaty impact again`,
  }))
}

/** `payload/items/*\/qty` as a reader finds it in a report. */
function fieldName(part: string, pointer: string): string {
  return pointer === '' ? `the ${part}` : `${part}${pointer}`
}

function summaryOf(f: Omit<ImpactFinding, 'summary'>): string {
  const field = f.pointer === '' ? `messages on ${f.channel}` : `${fieldName(f.part, f.pointer)} on ${f.channel}`
  const breaks = joinAnd(f.breaks.map(consumerVersionLabel))
  const never = f.unaffected.length > 0 ? `; ${joinAnd(f.unaffected)} never ${f.unaffected.length === 1 ? 'reads' : 'read'} it` : ''
  return `${f.change} ${field}: breaks ${breaks}${never}`
}

function joinAnd(items: readonly string[]): string {
  if (items.length <= 1) return items.join('')
  return `${items.slice(0, -1).join(', ')} and ${items.at(-1)}`
}

function byField(a: ImpactFinding, b: ImpactFinding): number {
  const ka = `${a.channel}\u0000${a.part}\u0000${a.pointer}`
  const kb = `${b.channel}\u0000${b.part}\u0000${b.pointer}`
  return ka < kb ? -1 : ka > kb ? 1 : 0
}
