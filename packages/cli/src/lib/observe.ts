/** `treaty observe`: flags → @treaty/observe (loaded only here) → a report per consumer version. */

import { ErrorCodes, importOptional, isTreatyError } from '@treaty/core'
import type { MismatchFinding, ObservationReport, ObservedContract, ObserveOptions, Transport } from '@treaty/observe'
import type { ObserveArgs } from '../commands/observe.js'
import { resolveConfig } from '../config.js'
import { CliError, ExitCode } from '../exit-codes.js'
import { cliManifest } from '../manifest.js'
import { type Printer, paint } from '../output.js'
import type { Report, Verdict } from '../verdict.js'
import { type BrokerConnection, brokerClient } from './broker-client.js'

const usage = (message: string, hint: string) => new CliError(message, hint)

/** `30s`, `15m`, `2h`, `1d` back from `now`, or an ISO time. */
export function parseSince(value: string, now = new Date()): Date {
  const m = /^(\d+)(s|m|h|d)$/.exec(value)
  if (m) return new Date(now.getTime() - Number(m[1]) * { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 }[m[2] as 's'])
  const t = new Date(value)
  if (Number.isNaN(t.getTime()))
    throw usage(`--since ${value} is neither a duration nor a time`, 'pass e.g. --since 15m or --since 2026-01-01T00:00:00Z')
  return t
}

/**
 * Observes until the duration, the message count or a signal ends it. Notices, the subscription and the metrics
 * URL stream through `p.live` as they happen; the report is the verdict.
 */
export async function runObserve(args: ObserveArgs, p: Report): Promise<Verdict> {
  const config = await resolveConfig({ ...args, service: undefined, ...(args.contracts ? { contracts: args.contracts } : {}) })
  const services = args.service ?? (config.service ? [config.service] : undefined)
  if (args.all && args.service) throw usage('--all and --service exclude each other', 'pass one of them')
  if (args.environment && !args.all && !services) throw usage('name the provider(s) to observe', 'pass --service <provider> or --all')
  if (!args.nats === !args.amqp)
    throw usage('name one message transport', 'pass --nats nats://host:4222 or --amqp amqp://host:5672 --exchange NAME')
  if (args.amqp && !args.exchange) throw usage('--amqp needs --exchange', 'pass the topic exchange the producers publish to')
  if (!(args.sample! > 0 && args.sample! <= 1))
    throw usage(`--sample ${args.sample} is not in (0, 1]`, 'pass e.g. --sample 0.1 for one message in ten')
  if (args.duration !== undefined && !(args.duration > 0))
    throw usage(
      `--duration ${args.duration} is not a positive number of seconds`,
      'pass e.g. --duration 60, or leave it out to run until Ctrl-C',
    )
  if (args.maxMessages !== undefined && !(Number.isInteger(args.maxMessages) && args.maxMessages >= 1))
    throw usage(`--max-messages ${args.maxMessages} is not a whole number of at least 1`, 'pass e.g. --max-messages 100')
  if (args.since && !args.fromStream) throw usage('--since needs --from-stream', 'pass the stream to replay')

  if (args.environment && services) await refuseUnknownServices(services, config)

  // An optional peer: pipelines that never observe do not install the transports (nats.js, amqplib).
  const observe = await importOptional(
    { name: '@treaty/observe', feature: 'treaty observe', manifest: cliManifest() },
    () => import('@treaty/observe'),
  )
  const options: Partial<ObserveOptions> = { sample: args.sample! }
  if (args.environment) {
    options.broker = {
      client: brokerClient(config),
      environment: args.environment,
      ...(args.all ? {} : { services: services! }),
      publish: args.publish !== false,
    }
  } else {
    const { readContracts } = await import('@treaty/core')
    const contracts = (await readContracts(config.contractsDir)).filter((c) => !services || services.includes(c.provider))
    if (contracts.length === 0)
      throw usage(
        `no contract in ${config.contractsDir}${services ? ` for ${services.join(', ')}` : ''}: there is nothing to check the traffic against`,
        'check --service and --contracts, or observe what is deployed with --environment <env>',
      )
    options.contracts = contracts.map((contract): ObservedContract => ({ consumer: contract.consumer, consumerVersion: 'local', contract }))
  }
  if (args.subject) options.subjects = args.subject
  if (args.channel) options.channels = args.channel
  if (args.duration !== undefined) options.durationMs = args.duration * 1000
  if (args.maxMessages !== undefined) options.maxMessages = args.maxMessages
  if (args.fromStream) options.fromStream = { stream: args.fromStream, since: args.since ? parseSince(args.since) : new Date(0) }

  const transport: Transport = args.nats
    ? await observe.natsTransport({ servers: args.nats.split(',').map((s) => s.trim()) })
    : await observe.amqpTransport({ url: args.amqp!, exchange: args.exchange! })
  const ac = new AbortController()
  const stop = () => ac.abort()
  process.once('SIGINT', stop)
  process.once('SIGTERM', stop)
  let metrics: { server: import('node:http').Server } | undefined
  try {
    const report = await observe.observe({
      ...options,
      transport,
      signal: ac.signal,
      onNotice: (line) => p.live.err(paint(p, 'yellow', `! ${line}`)),
      onSubscribed: (patterns) => p.live.err(`observing ${patterns.join(', ') || 'nothing yet'} on ${args.nats ?? args.exchange}`),
      onObserver: (o) => {
        if (args.metricsPort === undefined) return
        void observe
          .serveMetrics(args.metricsPort, () => observe.metricsText(o.report(), o.lagSeconds))
          .then((m) => {
            metrics = m
            p.live.err(`metrics on ${m.url}`)
          })
      },
    })
    const verdict = observeVerdict(report)
    const exitCode = args.failOnMismatch && verdict !== 'clean' ? ExitCode.FAILED : ExitCode.OK
    if (args.failOnMismatch && verdict === 'nothing-checked') {
      // No expectation at all (none seen, none unseen): the broker's contracts never arrived, and a longer window would not help.
      const noContract = report.channels.length === 0 && report.unseen.length === 0 && options.broker
      p.err(
        noContract
          ? `error: no contract was loaded from the broker at ${config.brokerUrl}: the smoke test checked nothing (see the broker lines above)`
          : 'error: no message on a channel a contract covers was seen: the smoke test proved nothing (raise --duration?)',
      )
    }
    if (args.json) return p.json(report, exitCode)
    printReport(p, report)
    return p.verdict(exitCode)
  } finally {
    process.off('SIGINT', stop)
    process.off('SIGTERM', stop)
    metrics?.server.close()
    await transport.close()
  }
}

/**
 * A provider the broker never heard of has no consumer deployed against it: observing it would check nothing, for
 * as long as it runs. A broker that cannot be reached now is not asked: observe starts and retries it.
 */
async function refuseUnknownServices(services: string[], connection: BrokerConnection): Promise<void> {
  const { unknownService } = await import('./known-services.js')
  for (const service of services) {
    const unknown = await unknownService(service, connection).catch((err: unknown) => {
      if (isTreatyError(err, ErrorCodes.BROKER_UNREACHABLE) || isTreatyError(err, ErrorCodes.BROKER_FAILED)) return undefined
      throw err
    })
    if (unknown)
      throw usage(unknown, 'pass --service with the name the provider publishes under, or --all for every service deployed there')
  }
}

/** `payload/items/0/qty missing`: a pointer and what was expected, in the fewest words. */
export function describeFinding(f: MismatchFinding): string {
  const where = f.environment ? ` (${f.environment})` : ''
  const what = f.pointers
    .slice(0, 3)
    .map((p) => (p.expected === 'present (required)' ? `${p.pointer} missing` : `${p.pointer}: expected ${p.expected}`))
    .join('; ')
  return `✗ ${f.consumer} ${f.consumerVersion}${where} would reject ${f.channel}: ${what} (${f.rejected} of ${f.checked} messages, expectation "${f.expectation}")`
}

export function printReport(p: Printer, r: ObservationReport): void {
  const seconds = Math.round((Date.parse(r.at) - Date.parse(r.startedAt)) / 1000)
  const skipped = r.skipped ? `, ${r.skipped} skipped by --sample` : ''
  p.out(`observed ${r.messages} messages on ${r.channels.filter((c) => c.messages > 0).length} channels in ${seconds} s${skipped}`)
  for (const f of r.mismatches) p.out(paint(p, 'red', describeFinding(f)))
  for (const n of r.notJson) p.out(paint(p, 'red', `✗ ${n.count} messages on ${n.subject} are not JSON (${n.preview.slice(0, 80)})`))
  for (const u of r.uncovered) p.out(paint(p, 'yellow', `! ${u.count} messages on ${u.subject}: no contract covers that subject`))
  if (r.uncoveredOther) p.out(paint(p, 'yellow', `! ${r.uncoveredOther} more messages on other uncovered subjects`))
  for (const u of r.unseen)
    p.out(paint(p, 'dim', `· unseen: ${u.consumer} ${u.consumerVersion} expects ${u.channel} ("${u.expectation}"), no message matched it`))
  for (const e of r.events) p.out(paint(p, 'yellow', `! ${e.at} ${e.detail}`))
  const verdict = observeVerdict(r)
  if (verdict === 'clean') p.out(paint(p, 'green', '✓ no consumer would reject any message observed'))
  // No check mark for a window that checked nothing (no traffic, a mistyped --subject, a broker never reached).
  if (verdict === 'nothing-checked') p.out(paint(p, 'yellow', '! no message was checked against a contract: this window proves nothing'))
}

/**
 * What `--fail-on-mismatch` decides from: a smoke test passes only when it checked at least one message
 * against a contract and nothing was rejected; a window with no covered traffic proves nothing.
 */
export function observeVerdict(
  report: Pick<ObservationReport, 'channels' | 'mismatches' | 'notJson'>,
): 'clean' | 'rejected' | 'nothing-checked' {
  if (report.mismatches.length > 0 || report.notJson.length > 0) return 'rejected'
  const checked = report.channels.reduce((n, c) => n + c.accepted + c.rejected, 0)
  return checked > 0 ? 'clean' : 'nothing-checked'
}
