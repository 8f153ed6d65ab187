/**
 * The observer: every message on a covered channel is checked against every expectation that deployed
 * consumer versions have of that channel. A consumer version *would reject* a message when none of its
 * expectations on the channel accepts it (a consumer with two expectations on one channel handles either);
 * the finding names the expectation that came closest (fewest issues) and its failing pointers.
 *
 * Memory is bounded whatever the traffic: findings are per (consumer version, channel) — fixed by the
 * contracts —, pointers and examples per finding are capped, uncovered subjects are capped (the rest summed),
 * validators are compiled once per schema by @treaty/core's cache.
 */
import { toIssues, validatorFor } from '@treaty/core'
import { type ChannelMatcher, channelMatcher, coveringPatterns, isSystemSubject } from './channels.js'
import { type Discriminator, discriminatorOf, mayMatch } from './discriminator.js'
import { maskHeaders, truncate } from './mask.js'
import type { ChannelCount, MismatchFinding, ObservationReport, ObservedContract, TransportEvent, Verdict, WireMessage } from './types.js'

export interface ObserverOptions {
  /** Examples kept per finding (default 3). */
  maxExamples?: number
  /** Characters of payload kept in a preview (default 500). */
  previewChars?: number
  /** Distinct failing pointers kept per finding (default 20). */
  maxPointers?: number
  /** Distinct uncovered / non-JSON subjects kept (default 200); the rest are only counted. */
  maxSubjects?: number
  /** Fraction of messages checked, in (0, 1] (default 1). */
  sample?: number
  random?: () => number
  clock?: () => Date
}

type Validator = ReturnType<typeof validatorFor>
type ErrorObject = Parameters<typeof toIssues>[0][number]

interface Check {
  description: string
  /** Compiled once when the contracts are indexed (core's cache shares them across expectations). */
  headers: Validator | undefined
  payload: Validator
  /** A required top-level property with a `const` (a message kind): a payload object without that value cannot match. */
  discriminator: Discriminator | undefined
  seen: boolean
}

/** One consumer version's expectations on one channel, and what they made of the traffic. */
interface ConsumerOnChannel {
  source: ObservedContract
  checks: Check[]
  finding: MismatchFinding
}

interface ChannelEntry {
  matcher: ChannelMatcher
  count: ChannelCount
  consumers: ConsumerOnChannel[]
}

const decoder = new TextDecoder('utf-8', { fatal: true })
const lenient = new TextDecoder('utf-8')
const MAX_EVENTS = 50

export class Observer {
  readonly #literal = new Map<string, ChannelEntry[]>()
  readonly #wildcard: ChannelEntry[] = []
  readonly #entries: ChannelEntry[] = []
  readonly #uncovered = new Map<string, number>()
  #uncoveredOther = 0
  readonly #notJson = new Map<string, { count: number; preview: string }>()
  readonly #events: ObservationReport['events'] = []
  readonly #opts: Required<Omit<ObserverOptions, 'random' | 'clock'>>
  readonly #random: () => number
  readonly #clock: () => Date
  readonly #startedAt: Date
  #messages = 0
  #skipped = 0
  /** Seconds between publication (when the transport knows it) and receipt of the latest message. */
  lagSeconds = 0

  constructor(contracts: readonly ObservedContract[], options: ObserverOptions = {}) {
    this.#opts = {
      maxExamples: options.maxExamples ?? 3,
      previewChars: options.previewChars ?? 500,
      maxPointers: options.maxPointers ?? 20,
      maxSubjects: options.maxSubjects ?? 200,
      sample: options.sample ?? 1,
    }
    this.#random = options.random ?? Math.random
    this.#clock = options.clock ?? (() => new Date())
    this.#startedAt = this.#clock()
    this.#index(contracts)
  }

  /**
   * Swaps in the contracts of what is deployed now (a deployment happened). Counts, findings and coverage
   * of (consumer version, channel) pairs that remain carry over; pairs no longer deployed drop out.
   */
  replaceContracts(contracts: readonly ObservedContract[]): void {
    const previous = new Map<string, ConsumerOnChannel>()
    const counts = new Map<string, ChannelCount>()
    for (const e of this.#entries) {
      counts.set(e.matcher.channel, e.count)
      for (const c of e.consumers) previous.set(pairKey(c.source, e.matcher.channel), c)
    }
    this.#literal.clear()
    this.#wildcard.length = 0
    this.#entries.length = 0
    this.#index(contracts, previous, counts)
  }

  #index(
    contracts: readonly ObservedContract[],
    previous = new Map<string, ConsumerOnChannel>(),
    counts = new Map<string, ChannelCount>(),
  ): void {
    const byChannel = new Map<string, ChannelEntry>()
    for (const source of contracts) {
      const mine = new Map<string, ConsumerOnChannel>()
      for (const e of source.contract.expectations) {
        let entry = byChannel.get(e.channel)
        if (!entry) {
          const matcher = channelMatcher(e.channel)
          const count = counts.get(e.channel) ?? {
            channel: e.channel,
            provider: source.contract.provider,
            messages: 0,
            accepted: 0,
            rejected: 0,
            notJson: 0,
          }
          entry = { matcher, count, consumers: [] }
          byChannel.set(e.channel, entry)
        }
        let consumer = mine.get(e.channel)
        if (!consumer) {
          const before = previous.get(pairKey(source, e.channel))
          consumer = { source, checks: [], finding: before?.finding ?? emptyFinding(source, e.channel) }
          mine.set(e.channel, consumer)
          entry.consumers.push(consumer)
        }
        const seen = previous.get(pairKey(source, e.channel))?.checks.find((c) => c.description === e.description)?.seen ?? false
        consumer.checks.push({
          description: e.description,
          headers: e.headers ? validatorFor(e.headers.schema) : undefined,
          payload: validatorFor(e.payload.schema),
          discriminator: discriminatorOf(e.payload.schema),
          seen,
        })
      }
    }
    for (const entry of byChannel.values()) {
      this.#entries.push(entry)
      if (!entry.matcher.literal) this.#wildcard.push(entry)
      else this.#literal.set(entry.matcher.channel, [...(this.#literal.get(entry.matcher.channel) ?? []), entry])
    }
  }

  /** Messages checked so far (sampled-out and system messages excluded). */
  get counted(): number {
    return this.#messages
  }

  /** Subscription patterns covering every channel of the contracts, without overlaps. */
  patterns(kind: 'nats' | 'amqp'): string[] {
    return coveringPatterns(
      this.#entries.map((e) => e.matcher[kind]),
      kind,
    )
  }

  get channels(): string[] {
    return this.#entries.map((e) => e.matcher.channel)
  }

  /** Checks one message; returns what it was (`uncovered` when no contract covers its subject). */
  handle(message: WireMessage): Verdict | 'skipped' | 'ignored' {
    if (isSystemSubject(message.subject)) return 'ignored'
    if (this.#opts.sample < 1 && this.#random() >= this.#opts.sample) {
      this.#skipped++
      return 'skipped'
    }
    this.#messages++
    const entries = this.#entriesFor(message.subject)
    if (entries.length === 0) {
      this.#countUncovered(message.subject)
      return 'uncovered'
    }
    const payload = decodeJson(message.payload)
    if (!payload.ok) {
      for (const entry of entries) {
        entry.count.messages++
        entry.count.notJson++
      }
      this.#countNotJson(message, payload.problem)
      return 'not-json'
    }
    let verdict: Verdict = 'accepted'
    for (const entry of entries) {
      entry.count.messages++
      let rejected = false
      for (const consumer of entry.consumers) {
        if (!this.#check(consumer, message, payload.value)) rejected = true
      }
      if (rejected) {
        entry.count.rejected++
        verdict = 'rejected'
      } else entry.count.accepted++
    }
    return verdict
  }

  /** Records a transport health event (a disconnect, a reconnect) for the report. */
  event(event: TransportEvent): void {
    this.#events.push({ at: this.#clock().toISOString(), kind: event.kind, detail: event.detail })
    if (this.#events.length > MAX_EVENTS) this.#events.shift()
  }

  #entriesFor(subject: string): ChannelEntry[] {
    const literal = this.#literal.get(subject)
    if (this.#wildcard.length === 0) return literal ?? []
    const out = literal ? [...literal] : []
    for (const entry of this.#wildcard) if (entry.matcher.matches(subject)) out.push(entry)
    return out
  }

  /**
   * True when the consumer version accepts the message under one of its expectations on the channel. Most
   * expectations a message is tried against are not meant for it: only the boolean is asked for then, and
   * issues are described only for the closest one once all have failed (bench/observe: 20x faster).
   */
  #check(consumer: ConsumerOnChannel, message: WireMessage, payload: unknown): boolean {
    const finding = consumer.finding
    finding.checked++
    for (const check of consumer.checks) {
      if (!mayMatch(check.discriminator, payload)) continue
      if ((check.headers === undefined || check.headers(message.headers)) && check.payload(payload)) {
        check.seen = true
        return true
      }
    }
    // Rejected by all: the rare path. Find the closest expectation by its number of errors, then describe them.
    let closest: { check: Check; headers: ErrorObject[]; payload: ErrorObject[] } | undefined
    for (const check of consumer.checks) {
      const headers = check.headers === undefined || check.headers(message.headers) ? [] : (check.headers.errors ?? [])
      const payloadErrors = check.payload(payload) ? [] : (check.payload.errors ?? [])
      if (!closest || headers.length + payloadErrors.length < closest.headers.length + closest.payload.length) {
        closest = { check, headers, payload: payloadErrors }
      }
    }
    finding.rejected++
    finding.expectation = closest!.check.description
    const issues = [
      ...toIssues(closest!.headers).map((issue) => ({ part: 'headers', issue })),
      ...toIssues(closest!.payload).map((issue) => ({ part: 'payload', issue })),
    ]
    for (const { part, issue } of issues) {
      const pointer = `${part}${issue.pointer}`
      const known = finding.pointers.find((p) => p.pointer === pointer)
      if (known) known.count++
      else if (finding.pointers.length < this.#opts.maxPointers) finding.pointers.push({ pointer, expected: issue.expected, count: 1 })
    }
    if (finding.examples.length < this.#opts.maxExamples) {
      finding.examples.push({
        subject: message.subject,
        headers: maskHeaders(message.headers),
        preview: payloadPreview(message.payload, this.#opts.previewChars),
        at: message.receivedAt.toISOString(),
      })
    }
    return false
  }

  #countUncovered(subject: string): void {
    const n = this.#uncovered.get(subject)
    if (n !== undefined) this.#uncovered.set(subject, n + 1)
    else if (this.#uncovered.size < this.#opts.maxSubjects) this.#uncovered.set(subject, 1)
    else this.#uncoveredOther++
  }

  #countNotJson(message: WireMessage, problem: string): void {
    const known = this.#notJson.get(message.subject)
    if (known) known.count++
    else if (this.#notJson.size < this.#opts.maxSubjects) {
      this.#notJson.set(message.subject, { count: 1, preview: `${problem}: ${payloadPreview(message.payload, this.#opts.previewChars)}` })
    }
  }

  report(): ObservationReport {
    const unseen: ObservationReport['unseen'] = []
    for (const entry of this.#entries) {
      for (const c of entry.consumers) {
        for (const check of c.checks) {
          if (!check.seen) {
            unseen.push({
              consumer: c.source.consumer,
              consumerVersion: c.source.consumerVersion,
              expectation: check.description,
              channel: entry.matcher.channel,
            })
          }
        }
      }
    }
    return {
      startedAt: this.#startedAt.toISOString(),
      at: this.#clock().toISOString(),
      messages: this.#messages,
      skipped: this.#skipped,
      channels: this.#entries.map((e) => ({ ...e.count })),
      mismatches: this.findings().filter((f) => f.rejected > 0),
      uncovered: [...this.#uncovered].map(([subject, count]) => ({ subject, count })),
      uncoveredOther: this.#uncoveredOther,
      notJson: [...this.#notJson].map(([subject, v]) => ({ subject, ...v })),
      unseen,
      events: [...this.#events],
    }
  }

  /** Every (consumer version, channel) pair with its counts, rejected or not: what the broker receives as `observed`. */
  findings(): MismatchFinding[] {
    return this.#entries.flatMap((e) =>
      e.consumers.map((c) => ({
        ...c.finding,
        pointers: c.finding.pointers.map((p) => ({ ...p })),
        examples: [...c.finding.examples],
      })),
    )
  }
}

function pairKey(source: ObservedContract, channel: string): string {
  return `${source.consumer}\u0000${source.consumerVersion}\u0000${source.contract.provider}\u0000${channel}`
}

function emptyFinding(source: ObservedContract, channel: string): MismatchFinding {
  return {
    consumer: source.consumer,
    consumerVersion: source.consumerVersion,
    ...(source.environment === undefined ? {} : { environment: source.environment }),
    ...(source.contentHash === undefined ? {} : { contentHash: source.contentHash }),
    provider: source.contract.provider,
    channel,
    expectation: '',
    checked: 0,
    rejected: 0,
    pointers: [],
    examples: [],
  }
}

type Decoded = { ok: true; value: unknown } | { ok: false; problem: string }

/** A payload that is not UTF-8 or not JSON is itself a finding: no JSON consumer could read it. */
export function decodeJson(bytes: Uint8Array): Decoded {
  let text: string
  try {
    text = decoder.decode(bytes)
  } catch {
    return { ok: false, problem: 'not UTF-8' }
  }
  try {
    return { ok: true, value: JSON.parse(text) }
  } catch {
    return { ok: false, problem: bytes.length === 0 ? 'empty payload' : 'not JSON' }
  }
}

/** The start of a raw payload as text (it may not be JSON at all), control characters replaced. */
function payloadPreview(bytes: Uint8Array, max: number): string {
  // Decode no more than a preview needs: a 100 MB message must not become a 100 MB string.
  const head = bytes.length > max * 4 ? bytes.subarray(0, max * 4) : bytes
  // biome-ignore lint/suspicious/noControlCharactersInRegex: a binary payload's preview must not carry terminal control characters
  return truncate(lenient.decode(head).replace(/[\u0000-\u0008\u000e-\u001f]/g, '\ufffd'), max)
}
