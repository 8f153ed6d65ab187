import type { CommandModule } from 'yargs'
import { ExitCode } from '../exit-codes.js'
import { isoDateTime, type ServiceArgs, serviceOptions, versionFromEnv } from '../options.js'

interface Args extends ServiceArgs {
  producers?: string
  contracts?: string
  selector?: string[]
  includeWipSince?: string
  publish?: boolean
  junit?: string
  failIfNone?: boolean
  static?: boolean
  tsconfig?: string
  dryRun?: boolean
}

export const verifyCommand: CommandModule<object, Args> = {
  command: 'verify',
  describe: "Replay every consumer contract against the provider's real producers (exit 1 when a non-pending contract fails)",
  builder: (y) =>
    y
      .options({
        service: { ...serviceOptions.service, describe: 'The provider being verified [env TREATY_SERVICE]' },
        'app-version': serviceOptions['app-version'],
        branch: serviceOptions.branch,
        producers: {
          type: 'string',
          describe: 'Module exporting `producers` (and `states`); default from treaty.config [env TREATY_PRODUCERS]',
        },
        contracts: { type: 'string', describe: 'Verify the contracts in this directory instead of fetching them from the broker' },
        selector: {
          type: 'string',
          array: true,
          describe:
            'Which consumer contracts to fetch (repeatable): mainBranch, matchingBranch, deployed[=env], branch=<b>, latest[=<consumer>], consumer=<name>@<version>, or JSON. Default: mainBranch + deployed',
        },
        'include-wip-since': {
          type: 'string',
          describe: 'Also verify work-in-progress contracts published since this date (2026-01-31) or ISO date-time, as pending',
        },
        publish: {
          type: 'boolean',
          describe: 'Publish the results to the broker with --app-version and --branch (with --static: the derived provider schema)',
        },
        'dry-run': {
          type: 'boolean',
          implies: 'publish',
          describe: 'With --publish: verify, then print exactly what would be published; send nothing',
        },
        junit: { type: 'string', describe: 'Also write a JUnit XML report (one testcase per expectation) to this file' },
        'fail-if-none': {
          type: 'boolean',
          describe:
            'Exit 1 when the broker has no contract for this provider (with --contracts <dir>, none always fails: a typo, most likely)',
        },
        static: {
          type: 'boolean',
          describe: "Check the producers' TypeScript types instead of running them (every message the types allow)",
        },
        tsconfig: {
          type: 'string',
          describe: 'With --static: the provider tsconfig.json (default: compile the producers module and its imports strictly)',
        },
      })
      .example('$0 verify --service pdf-api --producers src/producers.ts --static', 'static check, no producer code executed')
      .example(
        '$0 verify --service pdf-api --producers src/producers.ts --static --publish',
        'and publish the provider schema, for static can-i-deploy',
      )
      .example('$0 verify --service pdf-api --producers test/producers.ts --publish', 'in the provider pipeline')
      .example('$0 verify --service pdf-api --contracts ../pdf-worker/contracts', 'against local contract files, no broker'),
  handler: async (args) => {
    const { resolveConfig } = await import('../config.js')
    const { verify } = await import('../lib/verify.js')
    const { parseSelector } = await import('../lib/selectors.js')
    const { createPrinter, paint, junitXml } = await import('../output.js')
    const { formatReport } = await import('@treaty/core')
    const { DryRunClient, dryRunClient, printPlanned } = await import('../lib/dry-run.js')
    const includeWipSince = args.includeWipSince === undefined ? undefined : isoDateTime(args.includeWipSince, '--include-wip-since')
    const config = await resolveConfig({ ...args, contracts: undefined })
    const p = createPrinter()
    const publishClient = args.dryRun ? dryRunClient(config) : undefined
    const planned = () => {
      // With --json, stdout carries the report; the plan goes to stderr.
      if (publishClient instanceof DryRunClient) printPlanned(args.json ? { ...p, out: p.err } : p, publishClient.planned, false)
    }
    const common = {
      ...versionFromEnv(args),
      service: config.service,
      producers: config.producers,
      states: config.states,
      contractsDir: args.contracts,
      selectors: args.selector?.map(parseSelector) ?? config.selectors,
      includeWipSince,
      brokerUrl: config.brokerUrl,
      token: config.token,
      publishClient,
    }
    if (args.static) {
      const { verifyStatic } = await import('../lib/verify-static.js')
      const { formatStaticReport } = await import('@treaty/core/analysis')
      const result = await verifyStatic({ ...common, tsconfig: args.tsconfig, publish: args.publish })
      const { report } = result
      const noneFails = report.summary.total === 0 && (args.failIfNone || result.source === 'directory')
      process.exitCode = report.summary.failed > 0 || noneFails ? ExitCode.FAILED : ExitCode.OK
      p.out(args.json ? JSON.stringify(report, null, 2) : formatStaticReport(report, { cwd: process.cwd() }))
      planned()
      if (result.published && !publishClient) {
        const line = `${paint(p, 'green', '✓')} published provider schema as ${report.provider} ${result.providerVersion}`
        if (args.json) p.err(line)
        else p.out(line)
      }
      return
    }
    // A progress line on a TTY only: pipelines read the report, not a redrawn line.
    const progress =
      p.tty && !args.json ? (done: number, total: number) => process.stderr.write(`\r  verified ${done}/${total}`) : undefined
    // Published after the report is printed, so a broker refusing the results never hides them.
    const result = await verify({ ...common, publish: false, onProgress: progress })
    if (progress) process.stderr.write('\r\u001b[K')
    const { report } = result
    // From the broker, no contract is normal for a provider nobody consumes yet; from a directory it is a typo.
    const none = report.summary.total === 0
    const noneFails = none && (args.failIfNone || result.source === 'directory')
    process.exitCode = report.summary.failed > 0 || noneFails ? ExitCode.FAILED : ExitCode.OK
    if (args.junit) {
      const { writeFile } = await import('node:fs/promises')
      const cases = report.contracts.flatMap((c) =>
        c.expectations.map((e) => ({
          suite: `${c.consumer} → ${c.provider}`,
          name: e.description,
          timeSeconds: e.durationMs / 1000,
          ...(e.status === 'failed' ? { failure: e.mismatches.map((m) => m.message).join('\n') } : {}),
          ...(e.status === 'pending' ? { skipped: `pending: ${e.mismatches.map((m) => m.message).join('; ')}` } : {}),
        })),
      )
      await writeFile(args.junit, junitXml(cases))
    }
    const { publishResults } = await import('../lib/verify.js')
    const publish = () => (args.publish ? publishResults(result, { ...common, cwd: process.cwd() }) : Promise.resolve())
    if (args.json) {
      await publish()
      planned()
      return p.out(JSON.stringify(result, null, 2))
    }
    if (none) {
      const known = report.ignored.map((c) => c.provider)
      const hint = known.length ? ` (contracts found for: ${[...new Set(known)].join(', ')})` : ''
      p.err(paint(p, noneFails ? 'red' : 'yellow', `no contracts to verify for ${report.provider}${hint}`))
      if (result.source === 'broker') {
        const { unknownServiceHint } = await import('../lib/known-services.js')
        const warning = await unknownServiceHint(report.provider, common)
        if (warning) p.err(paint(p, 'yellow', `warning: ${warning}`))
      }
    } else p.out(formatReport(report))
    if (report.summary.pending > 0)
      p.err(paint(p, 'yellow', `warning: ${report.summary.pending} expectation(s) of pending contracts failed; they do not fail the build`))
    await publish()
    planned()
    if (result.published && !publishClient)
      p.out(`${paint(p, 'green', '✓')} published results as ${report.provider} ${result.providerVersion}`)
  },
}
