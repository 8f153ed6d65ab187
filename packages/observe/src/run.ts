/**
 * One observer run, usable by import (the CLI only parses flags and prints): load the contracts deployed in
 * an environment (or take them as given), subscribe, check every message, follow deployments, publish
 * observations, stop after a duration, a message count or an abort. Neither the message transport nor the
 * broker going away ends the run: it is noted in the report's events and the counts carry on.
 */
import { randomUUID } from 'node:crypto'
import { ErrorCodes, isTreatyError } from '@treaty/core'
import type { BrokerClient } from '@treaty/core/client'
import { type DeployedState, deploymentsFingerprint, loadDeployedContracts } from './broker-source.js'
import { coveringPatterns, subjectPatternProblem } from './channels.js'
import { ObserveError, ObserveErrorCodes } from './errors.js'
import { NatsTransport } from './nats.js'
import { Observer, type ObserverOptions } from './observer.js'
import { ObservationPublisher, toObservations } from './publish.js'
import type { ObservationReport, ObservedContract, Subscription, Transport, WireMessage } from './types.js'

export interface ObserveBrokerOptions {
  client: BrokerClient
  environment: string
  /** Providers to observe; undefined: every service deployed in the environment. */
  services?: string[]
  /** How often deployments are checked for changes (default 10 s). */
  refreshMs?: number
  /** Whether observations are published to the broker (default true). */
  publish?: boolean
  /** At most one publication per interval (default 10 s); one more at the end. */
  publishMs?: number
}

export interface ObserveOptions extends ObserverOptions {
  transport: Transport
  /** Contracts to observe against, when not loaded from a broker. */
  contracts?: ObservedContract[]
  broker?: ObserveBrokerOptions
  /** Subjects / routing keys to tap instead of the contracts' channels (e.g. `pdf.>` to also see uncovered ones). */
  subjects?: string[]
  /** Only these channels of the contracts. */
  channels?: string[]
  /** NATS only: replay this stream from `since` (and follow it) instead of live subscriptions. */
  fromStream?: { stream: string; since: Date }
  durationMs?: number
  maxMessages?: number
  signal?: AbortSignal
  /** Notices while running (broker unreachable, contracts refreshed, transport events). */
  onNotice?: (line: string) => void
  /** Called whenever the subscriptions change (first after they are in place): the patterns tapped. */
  onSubscribed?: (patterns: string[]) => void
  /** Called with the observer once it exists, e.g. to serve its metrics. */
  onObserver?: (observer: Observer) => void
  runId?: string
}

export async function observe(options: ObserveOptions): Promise<ObservationReport> {
  if (!options.contracts && !options.broker) {
    throw new ObserveError(ObserveErrorCodes.OPTIONS_INVALID, 'nothing to observe against: pass contracts or a broker and an environment', {
      hint: 'treaty observe --environment production --service <provider> --nats nats://…',
    })
  }
  if (options.fromStream && !(options.transport instanceof NatsTransport)) {
    throw new ObserveError(ObserveErrorCodes.OPTIONS_INVALID, '--from-stream needs a NATS transport (--nats)')
  }
  checkSubjects(options.subjects ?? [], options.transport.kind)
  if (options.contracts && !options.broker) checkChannels(options.channels ?? [], options.contracts)
  const notice = options.onNotice ?? (() => {})
  const filter = (cs: ObservedContract[]) => onlyChannels(cs, options.channels)
  const observer = new Observer(filter(options.contracts ?? []), options)
  options.onObserver?.(observer)
  options.transport.onEvent((e) => {
    observer.event(e)
    notice(e.detail)
  })

  const transport = options.transport
  const subs = new Map<string, Subscription>()
  let stopped = false
  let finish: () => void = () => {}
  const done = new Promise<void>((resolve) => (finish = resolve))
  const onMessage = (m: WireMessage) => {
    if (stopped) return
    observer.handle(m)
    if (m.publishedAt) observer.lagSeconds = Math.max(0, (m.receivedAt.getTime() - m.publishedAt.getTime()) / 1000)
    if (options.maxMessages !== undefined && observer.counted >= options.maxMessages) finish()
  }
  const wanted = () => coveringPatterns(options.subjects ?? observer.patterns(transport.kind), transport.kind)
  const resubscribe = async () => {
    const patterns = wanted()
    for (const [p, s] of subs) {
      if (!patterns.includes(p)) {
        await s.close()
        subs.delete(p)
      }
    }
    if (options.fromStream) {
      if (subs.size === 0 && patterns.length > 0) {
        const key = patterns.join(' ')
        subs.set(key, await (transport as NatsTransport).replay(options.fromStream.stream, options.fromStream.since, patterns, onMessage))
      }
    } else {
      for (const p of patterns) if (!subs.has(p)) subs.set(p, await transport.subscribe(p, onMessage))
    }
    options.onSubscribed?.(patterns)
  }

  const broker = options.broker
  let state: DeployedState | undefined
  const publisher =
    broker && broker.publish !== false
      ? new ObservationPublisher(broker.client, options.runId ?? randomUUID(), broker.environment, broker.publishMs ?? 10_000)
      : undefined
  let brokerDown = false
  const reachable = () => {
    if (brokerDown) notice('broker reachable again')
    brokerDown = false
  }
  const refresh = async () => {
    if (!broker) return
    try {
      if (state) {
        const { fingerprint } = await deploymentsFingerprint(broker.client, broker.environment)
        // Back with the same deployments is the usual return of a broker that went away: say so too.
        reachable()
        if (fingerprint === state.fingerprint) return
      }
      const next = await loadDeployedContracts(broker.client, broker.environment, broker.services)
      if (state) notice(`deployments in ${broker.environment} changed: observing ${next.contracts.length} contracts`)
      state = next
      observer.replaceContracts(filter(next.contracts))
      reachable()
      await resubscribe()
    } catch (err) {
      if (err instanceof ObserveError) throw err
      // At start, a broker that answers with a refusal (an environment it does not know, a token it rejects) was
      // given a mistaken command: that is no outage to observe through.
      if (!state && isRefusal(err)) throw err
      if (!brokerDown) notice(`broker: ${(err as Error).message.split('\n')[0]} (observing on with what is known, retrying)`)
      brokerDown = true
      observer.event({ kind: 'error', detail: `broker: ${(err as Error).message.split('\n')[0]}` })
    }
  }
  const publish = async (force: boolean) => {
    if (!publisher || !state) return
    const failedBefore = publisher.failures
    try {
      await publisher.maybePublish(toObservations(observer.findings(), state.providerVersions), force)
      if (failedBefore > 0 && publisher.failures === 0) notice(`broker: observations published again (this run's totals so far)`)
    } catch (err) {
      publisher.failures++
      if (publisher.failures === 1) notice(`broker: cannot publish observations (${(err as Error).message.split('\n')[0]}); will retry`)
    }
  }

  await refresh()
  if (!broker || options.subjects) await resubscribe()
  const timers: NodeJS.Timeout[] = []
  if (broker) {
    let busy = false
    const tick = async () => {
      if (busy || stopped) return
      busy = true
      try {
        await refresh()
        await publish(false)
      } finally {
        busy = false
      }
    }
    timers.push(setInterval(() => void tick(), Math.min(broker.refreshMs ?? 10_000, broker.publishMs ?? 10_000)))
  }
  if (options.durationMs !== undefined) timers.push(setTimeout(finish, options.durationMs))
  const abort = () => finish()
  options.signal?.addEventListener('abort', abort, { once: true })
  if (options.signal?.aborted) finish()
  await done
  stopped = true
  for (const t of timers) clearTimeout(t)
  options.signal?.removeEventListener('abort', abort)
  for (const s of subs.values()) await s.close().catch(() => {})
  await publish(true)
  return observer.report()
}

/** The broker answered and said no (4xx): retrying the same request cannot help. */
function isRefusal(err: unknown): boolean {
  return REFUSALS.some((code) => isTreatyError(err, code))
}
const REFUSALS = [
  ErrorCodes.BROKER_REJECTED,
  ErrorCodes.BROKER_UNAUTHORIZED,
  ErrorCodes.BROKER_FORBIDDEN,
  ErrorCodes.BROKER_ROUTE_NOT_FOUND,
]

function onlyChannels(contracts: ObservedContract[], channels: string[] | undefined): ObservedContract[] {
  if (!channels || channels.length === 0) return contracts
  return contracts.map((c) => ({
    ...c,
    contract: { ...c.contract, expectations: c.contract.expectations.filter((e) => channels.includes(e.channel)) },
  }))
}

function checkSubjects(subjects: readonly string[], kind: 'nats' | 'amqp'): void {
  const rest = kind === 'nats' ? '>' : '#'
  for (const subject of subjects) {
    const problem = subjectPatternProblem(subject, kind)
    if (!problem) continue
    throw new ObserveError(ObserveErrorCodes.OPTIONS_INVALID, `--subject ${subject} is not a subject pattern: ${problem}`, {
      hint: subject.endsWith('.')
        ? `quote a wildcard so the shell leaves it alone: --subject '${subject}${rest}'`
        : `pass dot-separated tokens, * for one token and ${rest} for the rest, e.g. --subject 'pdf.${rest}'`,
    })
  }
}

/** Fixed contracts (not re-read from a broker): a `--channel` none of them has would leave nothing to check. */
function checkChannels(channels: readonly string[], contracts: readonly ObservedContract[]): void {
  const known = [...new Set(contracts.flatMap((c) => c.contract.expectations.map((e) => e.channel)))].sort()
  const unknown = channels.filter((c) => !known.includes(c))
  if (unknown.length === 0) return
  throw new ObserveError(ObserveErrorCodes.OPTIONS_INVALID, `--channel ${unknown.join(', ')}: no contract has that channel`, {
    hint: `pass one of ${known.join(', ')}`,
  })
}
