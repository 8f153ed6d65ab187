/**
 * Retention windows: which older versions can still meet a new one through a channel that keeps messages.
 *
 * A message stays in a JetStream stream with `limits` retention (or in a dead-letter channel it can be
 * replayed from) long after the provider version that wrote it was replaced. So:
 * - A **consumer** version going to an environment must read what every provider version deployed there
 *   within the window of a channel the consumer reads may have left in it: a provider version whose
 *   deployment ended less than max-age ago (any time, when the channel keeps messages with no age limit).
 * - A **provider** version going to an environment writes messages that stay for the window; a consumer
 *   version whose deployment there ended within the window is what a rollback brings back to replay them,
 *   so it must read them too.
 * - Work-queue and interest streams (a message leaves once acknowledged) and channels with no retention keep
 *   today's rule: only what is deployed now counts. A dead-letter channel with retention still gives its
 *   source channel a window: what was dead-lettered is replayed onto it.
 * Currently deployed versions are can-i-deploy's ordinary rows; this module adds only the older ones.
 */
import { type ChannelRetention, formatDuration } from '@treaty/core/client'
import type { ContractFact } from './types.js'

/** One deployment of a version in the environment, current (`undeployedAt: null`) or past. */
export interface DeploymentSpan {
  service: string
  version: string
  deployedAt: Date
  undeployedAt: Date | null
}

/** How long messages on one channel can outlive their writer, and why. */
export interface RetentionWindow {
  /** The contract's channel. */
  channel: string
  /** The channel (or dead-letter channel) whose retention gives the window, and its stream. */
  retainedIn: string
  stream: string | null
  /** Null: no age limit, every past deployment counts. */
  maxAgeMs: number | null
}

/** An older version can-i-deploy must also check, with the window that makes it count. */
export interface RetainedPair {
  contract: ContractFact
  providerVersion: string
  role: 'consumer' | 'provider'
  /** The older version: the provider version (consumer role) or the consumer version (provider role). */
  olderVersion: string
  until: Date
  window: RetentionWindow
}

export interface RetentionInput {
  service: string
  version: string
  environment: string
  now: Date
  consumes: readonly ContractFact[]
  /** Contracts with `service` as provider of consumer versions whose deployment in the environment has ended. */
  consumedByPast: readonly ContractFact[]
  /** Deployments in the environment (current and past) of the services concerned. */
  history: readonly DeploymentSpan[]
  retention: readonly ChannelRetention[]
}

/** Keeps messages beyond acknowledgement: what can be read again later. */
export function keepsMessages(r: ChannelRetention): boolean {
  return r.policy === 'limits'
}

/**
 * Whether a NATS subject pattern covers a contract channel. Channel parameters (`{id}`) stand for one token,
 * like `*`; `>` matches one or more trailing tokens.
 */
export function subjectMatches(pattern: string, channel: string): boolean {
  const p = pattern.split('.')
  const c = channel.split('.').map((t) => (/^\{[^}]+\}$/.test(t) ? '*' : t))
  for (let i = 0; i < p.length; i++) {
    if (p[i] === '>') return c.length > i
    if (i >= c.length) return false
    if (p[i] === '*') continue
    if (p[i] !== c[i]) return false
  }
  return p.length === c.length
}

/** The retention entry for a channel: an exact entry first, then the most specific pattern. */
export function retentionOf(channel: string, retention: readonly ChannelRetention[]): ChannelRetention | undefined {
  const exact = retention.find((r) => r.channel === channel)
  if (exact) return exact
  const matching = retention.filter((r) => subjectMatches(r.channel, channel))
  return matching.sort((a, b) => specificity(b.channel) - specificity(a.channel))[0]
}

function specificity(pattern: string): number {
  return pattern.split('.').reduce((n, t) => n + (t === '>' ? 0 : t === '*' ? 1 : 2), 0)
}

/**
 * The window of a channel, or undefined when today's rule applies (no retention, work queue, interest).
 * With a dead-letter channel, the longer of the two windows counts.
 */
export function windowOf(channel: string, retention: readonly ChannelRetention[]): RetentionWindow | undefined {
  const own = retentionOf(channel, retention)
  if (!own) return undefined
  const candidates: RetentionWindow[] = []
  if (keepsMessages(own)) candidates.push({ channel, retainedIn: channel, stream: own.stream, maxAgeMs: own.maxAgeMs })
  if (own.deadLetter) {
    const dead = retentionOf(own.deadLetter, retention)
    if (dead && keepsMessages(dead)) candidates.push({ channel, retainedIn: own.deadLetter, stream: dead.stream, maxAgeMs: dead.maxAgeMs })
  }
  return candidates.sort((a, b) => reach(b) - reach(a))[0]
}

function reach(w: RetentionWindow): number {
  return w.maxAgeMs ?? Number.POSITIVE_INFINITY
}

/** Whether a deployment that ended at `until` can still have messages in the window at `now`. */
export function withinWindow(until: Date, window: RetentionWindow, now: Date): boolean {
  return window.maxAgeMs === null || now.getTime() - until.getTime() < window.maxAgeMs
}

/** The widest window among a contract's channels that still covers a deployment ended at `until`. */
function coveringWindow(c: ContractFact, until: Date, input: RetentionInput): RetentionWindow | undefined {
  const covering = c.channels
    .map((ch) => windowOf(ch, input.retention))
    .filter((w): w is RetentionWindow => w !== undefined && withinWindow(until, w, input.now))
  return covering.sort((a, b) => reach(b) - reach(a))[0]
}

/** The older versions a can-i-deploy of `service@version` must also check, per retention window. */
export function retainedPairs(input: RetentionInput): RetainedPair[] {
  const current = new Set(input.history.filter((h) => h.undeployedAt === null).map((h) => `${h.service}\u0000${h.version}`))
  // The latest end per past version: a version deployed twice counts from its last deployment.
  const ended = new Map<string, DeploymentSpan & { undeployedAt: Date }>()
  for (const h of input.history) {
    if (h.undeployedAt === null || current.has(`${h.service}\u0000${h.version}`)) continue
    const key = `${h.service}\u0000${h.version}`
    const seen = ended.get(key)
    if (!seen || h.undeployedAt > seen.undeployedAt) ended.set(key, { ...h, undeployedAt: h.undeployedAt })
  }
  const past = [...ended.values()].sort((a, b) => b.undeployedAt.getTime() - a.undeployedAt.getTime())
  const out: RetainedPair[] = []

  for (const c of input.consumes) {
    if (c.provider === input.service) continue
    for (const span of past) {
      if (span.service !== c.provider) continue
      const window = coveringWindow(c, span.undeployedAt, input)
      if (window) {
        out.push({
          contract: c,
          providerVersion: span.version,
          role: 'consumer',
          olderVersion: span.version,
          until: span.undeployedAt,
          window,
        })
      }
    }
  }
  for (const c of input.consumedByPast) {
    if (c.consumer === input.service || c.provider !== input.service) continue
    const span = ended.get(`${c.consumer}\u0000${c.consumerVersion}`)
    if (!span) continue
    const window = coveringWindow(c, span.undeployedAt, input)
    if (window) {
      out.push({
        contract: c,
        providerVersion: input.version,
        role: 'provider',
        olderVersion: c.consumerVersion,
        until: span.undeployedAt,
        window,
      })
    }
  }
  return out
}

/**
 * How far back the history must go to answer for these channels: null when no channel keeps messages
 * (nothing to load), `-Infinity` time when one keeps them with no age limit.
 */
export function historyHorizon(retention: readonly ChannelRetention[], now: Date): Date | null {
  const kept = retention.filter(keepsMessages)
  if (kept.length === 0) return null
  if (kept.some((r) => r.maxAgeMs === null)) return new Date(-8.64e15)
  return new Date(now.getTime() - Math.max(...kept.map((r) => r.maxAgeMs!)))
}

/** `pdf-api 2.3.0 was deployed in production until 3 days ago; its messages can still be in PDF_REQUESTS (max age 7d)`. */
export function retentionPhrase(pair: RetainedPair, environment: string, now: Date): string {
  const who = pair.role === 'consumer' ? `${pair.contract.provider} ${pair.olderVersion}` : `${pair.contract.consumer} ${pair.olderVersion}`
  return keptPhrase(who, pair.role === 'consumer' ? 'sent' : 'read', pair.window, pair.until, environment, now)
}

/**
 * `<who> was deployed in <environment> until <ago>;` then, for a version that `sent` on the channel, `its messages
 * can still be in <where>`, and for one that `read` it, `a rollback to it would replay these messages from <where>`.
 */
export function keptPhrase(who: string, role: 'sent' | 'read', w: RetentionWindow, until: Date, environment: string, now: Date): string {
  const age = w.maxAgeMs === null ? 'no max age' : `max age ${formatDuration(w.maxAgeMs)}`
  const where = w.stream ? `${w.stream} (${w.retainedIn}, ${age})` : `${w.retainedIn} (${age})`
  const ago = timeAgo(now.getTime() - until.getTime())
  const via = w.retainedIn === w.channel ? '' : ` (dead letters of ${w.channel})`
  if (role === 'sent') return `${who} was deployed in ${environment} until ${ago}; its messages can still be in ${where}${via}`
  return `${who} was deployed in ${environment} until ${ago}; a rollback to it would replay these messages from ${where}${via}`
}

/** `3 days ago`, `5 hours ago`: how long since, to the unit a release manager thinks in. */
export function timeAgo(ms: number): string {
  const units: [string, number][] = [
    ['day', 86_400_000],
    ['hour', 3_600_000],
    ['minute', 60_000],
  ]
  for (const [unit, size] of units) {
    const n = Math.floor(ms / size)
    if (n >= 1) return `${n} ${unit}${n === 1 ? '' : 's'} ago`
  }
  return 'less than a minute ago'
}
