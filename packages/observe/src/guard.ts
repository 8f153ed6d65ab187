/**
 * The producer-side guard: before a message goes on the wire, check it against what every deployed consumer
 * of its channel accepts. `reject` throws TREATY_OBSERVE_GUARD_REJECTED and nothing is sent; `warn` reports
 * and sends. The message is checked as the value handed in (no JSON round trip: that is what keeps the
 * overhead in microseconds, bench/observe/guard.mjs), so hand in plain JSON data, as producers do.
 */
import type { MsgHdrs } from '@nats-io/transport-node'
import { type JsonSchema, type ValidationIssue, validate, validatorFor } from '@treaty/core'
import { channelMatcher } from './channels.js'
import { type Discriminator, discriminatorOf, mayMatch } from './discriminator.js'
import { ObserveError, ObserveErrorCodes } from './errors.js'
import { toNatsHeaders } from './nats.js'
import type { ObservedContract } from './types.js'

export type GuardMode = 'warn' | 'reject'

export interface GuardViolation {
  subject: string
  consumer: string
  consumerVersion: string
  channel: string
  /** The expectation that came closest, and its issues as `payload/items/0/qty: present (required)`. */
  expectation: string
  issues: string[]
}

export interface GuardOptions {
  contracts: readonly ObservedContract[]
  mode: GuardMode
  /** Called with the violations of a message (in both modes); default: one line on stderr per violation in `warn` mode. */
  onViolation?: (violations: GuardViolation[]) => void
}

type Validator = ReturnType<typeof validatorFor>

interface Check {
  description: string
  headers: JsonSchema | undefined
  payload: JsonSchema
  /** Compiled once, when the guard is built: a message pays for validation, not for finding its validator. */
  validHeaders: Validator | undefined
  validPayload: Validator
  discriminator: Discriminator | undefined
}

interface ConsumerChecks {
  consumer: string
  consumerVersion: string
  channel: string
  checks: Check[]
}

const NO_HEADERS: Record<string, string> = Object.freeze({}) as Record<string, string>
/** Distinct subjects whose consumers are remembered; past this the memory starts again (a producer sends to few). */
const ROUTED_SUBJECTS = 10_000

export class Guard {
  readonly mode: GuardMode
  readonly #literal = new Map<string, ConsumerChecks[]>()
  readonly #wildcard: { matches(subject: string): boolean; consumers: ConsumerChecks[] }[] = []
  /** Subject → every consumer of a channel matching it (literal and wildcard), so a message never scans the channels. */
  readonly #routes = new Map<string, readonly ConsumerChecks[]>()
  readonly #onViolation: (violations: GuardViolation[]) => void

  constructor(options: GuardOptions) {
    this.mode = options.mode
    this.#onViolation =
      options.onViolation ??
      ((vs) => {
        for (const v of vs)
          process.stderr.write(`treaty guard: ${v.consumer} ${v.consumerVersion} would reject ${v.subject}: ${v.issues.join('; ')}\n`)
      })
    const byChannel = new Map<string, Map<string, ConsumerChecks>>()
    for (const c of options.contracts) {
      for (const e of c.contract.expectations) {
        const consumers = byChannel.get(e.channel) ?? new Map<string, ConsumerChecks>()
        byChannel.set(e.channel, consumers)
        const key = `${c.consumer}\u0000${c.consumerVersion}`
        const entry = consumers.get(key) ?? { consumer: c.consumer, consumerVersion: c.consumerVersion, channel: e.channel, checks: [] }
        consumers.set(key, entry)
        entry.checks.push({
          description: e.description,
          headers: e.headers?.schema,
          payload: e.payload.schema,
          validHeaders: e.headers ? validatorFor(e.headers.schema) : undefined,
          validPayload: validatorFor(e.payload.schema),
          discriminator: discriminatorOf(e.payload.schema),
        })
      }
    }
    for (const [channel, consumers] of byChannel) {
      const m = channelMatcher(channel)
      if (m.literal) this.#literal.set(channel, [...(this.#literal.get(channel) ?? []), ...consumers.values()])
      else this.#wildcard.push({ matches: m.matches, consumers: [...consumers.values()] })
    }
  }

  /** The consumers that would reject this message; [] when all accept (or none listens on the subject). */
  check(subject: string, payload: unknown, headers: Record<string, string> = NO_HEADERS): GuardViolation[] {
    const consumers = this.#consumersOf(subject)
    const violations: GuardViolation[] = []
    for (let i = 0; i < consumers.length; i++) {
      const c = consumers[i]!
      if (!accepts(c, payload, headers)) violations.push(this.#violation(c, subject, payload, headers))
    }
    return violations
  }

  #consumersOf(subject: string): readonly ConsumerChecks[] {
    const known = this.#routes.get(subject)
    if (known) return known
    const consumers = [...(this.#literal.get(subject) ?? [])]
    for (const w of this.#wildcard) if (w.matches(subject)) consumers.push(...w.consumers)
    if (this.#routes.size >= ROUTED_SUBJECTS) this.#routes.clear()
    this.#routes.set(subject, consumers)
    return consumers
  }

  /** Why a consumer rejects a message: the expectation that came closest (fewest issues) and its issues. */
  #violation(c: ConsumerChecks, subject: string, payload: unknown, headers: Record<string, string>): GuardViolation {
    let closest: { description: string; issues: string[] } | undefined
    for (const check of c.checks) {
      const issues: string[] = []
      if (check.headers !== undefined) for (const i of validate(check.headers, headers)) issues.push(line('headers', i))
      for (const i of validate(check.payload, payload)) issues.push(line('payload', i))
      if (!closest || issues.length < closest.issues.length) closest = { description: check.description, issues }
    }
    return {
      subject,
      consumer: c.consumer,
      consumerVersion: c.consumerVersion,
      channel: c.channel,
      expectation: closest!.description,
      issues: closest!.issues,
    }
  }

  /** Checks, then: `reject` throws (nothing to send), `warn` reports; returns normally when the message may go. */
  enforce(subject: string, payload: unknown, headers?: Record<string, string>): void {
    const violations = this.check(subject, payload, headers)
    if (violations.length === 0) return
    this.#onViolation(violations)
    if (this.mode === 'reject') {
      const first = violations[0]!
      throw new ObserveError(
        ObserveErrorCodes.GUARD_REJECTED,
        `not sent: ${first.consumer} ${first.consumerVersion} would reject ${subject}: ${first.issues.join('; ')}`,
        { details: { violations } },
      )
    }
  }
}

/** A consumer accepts a message when one of its expectations on the channel does (first those meant for its kind). */
function accepts(c: ConsumerChecks, payload: unknown, headers: Record<string, string>): boolean {
  const checks = c.checks
  for (let i = 0; i < checks.length; i++) {
    const check = checks[i]!
    if (!mayMatch(check.discriminator, payload)) continue
    if ((check.validHeaders === undefined || check.validHeaders(headers)) && check.validPayload(payload)) return true
  }
  return false
}

function line(part: string, i: ValidationIssue): string {
  return `${part}${i.pointer}: ${i.expected}`
}

const encoder = new TextEncoder()

/** What a NATS connection offers for publishing (nats.js `NatsConnection`). */
export interface NatsPublisher {
  publish(subject: string, payload: Uint8Array, options?: { headers?: MsgHdrs }): void
}

/** A NATS publish that checks each message first: `publish(subject, message, headers)` sends `message` as JSON. */
export function guardNats(nc: NatsPublisher, guard: Guard) {
  return {
    publish(subject: string, message: unknown, headers?: Record<string, string>): void {
      guard.enforce(subject, message, headers)
      nc.publish(subject, encoder.encode(JSON.stringify(message)), headers ? { headers: toNatsHeaders(headers) } : undefined)
    },
  }
}

/** What an amqplib channel offers for publishing. */
export interface AmqpPublisher {
  publish(
    exchange: string,
    routingKey: string,
    content: Buffer,
    options?: { headers?: Record<string, string>; contentType?: string },
  ): boolean
}

/** An AMQP publish to `exchange` that checks each message first. */
export function guardAmqp(channel: AmqpPublisher, exchange: string, guard: Guard) {
  return {
    publish(routingKey: string, message: unknown, headers?: Record<string, string>): boolean {
      guard.enforce(routingKey, message, headers)
      return channel.publish(exchange, routingKey, Buffer.from(JSON.stringify(message)), {
        contentType: 'application/json',
        ...(headers ? { headers } : {}),
      })
    },
  }
}
