import type { OptionTable, ParsedOptions, TreatyCommand } from '../command.js'
import { CliError } from '../exit-codes.js'
import { type GlobalArgs, isoDateTime, serviceOptions, versionFromEnv } from '../options.js'
import type { JunitCase } from '../output.js'

/** The option table: parsing, help text and the argument type all come from it. */
const options = {
  service: { ...serviceOptions.service, describe: 'The provider being verified [env TREATY_SERVICE]' },
  'app-version': serviceOptions['app-version'],
  branch: serviceOptions.branch,
  producers: {
    type: 'string',
    describe: 'Module exporting `producers` (and `states`); default from treaty.config [env TREATY_PRODUCERS]',
  },
  states: {
    type: 'string',
    describe: 'Module exporting the provider `states`; default from treaty.config, else the producers module’s `states`',
  },
  contracts: { type: 'string', describe: 'Verify the contracts in this directory instead of fetching them from the broker' },
  selector: {
    type: 'string',
    array: true,
    conflicts: 'contracts',
    describe:
      'Which consumer contracts to fetch (repeatable): mainBranch, matchingBranch, deployed[=env], branch=<b>, latest[=<consumer>], consumer=<name>@<version>, or JSON. Default: mainBranch + deployed',
  },
  'include-wip-since': {
    type: 'string',
    conflicts: 'contracts',
    describe: 'Also verify work-in-progress contracts published since this date (2026-01-31) or ISO date-time, as pending',
  },
  publish: {
    type: 'boolean',
    describe: 'Publish the results to the broker with --app-version and --branch (with --static: the derived provider schema)',
  },
  'dry-run': {
    type: 'boolean',
    needs: 'publish',
    describe: 'With --publish: verify, then print exactly what would be published; send nothing',
  },
  junit: { type: 'string', describe: 'Also write a JUnit XML report (one testcase per expectation; with --static too) to this file' },
  'fail-if-none': {
    type: 'boolean',
    describe: 'Exit 1 when the broker has no contract for this provider (with --contracts <dir>, none always fails: a typo, most likely)',
  },
  static: {
    type: 'boolean',
    describe: "Check the producers' TypeScript types instead of running them (every message the types allow)",
  },
  tsconfig: {
    type: 'string',
    describe: 'With --static: the provider tsconfig.json (default: compile the producers module and its imports strictly)',
  },
} satisfies OptionTable

type Args = GlobalArgs & ParsedOptions<typeof options>

export const verifyCommand: TreatyCommand<Args> = {
  command: 'verify',
  describe: "Replay every consumer contract against the provider's real producers (exit 1 when a non-pending contract fails)",
  options,
  examples: [
    ['$0 verify --service pdf-api --producers src/producers.ts --static', 'static check, no producer code executed'],
    [
      '$0 verify --service pdf-api --producers src/producers.ts --static --publish',
      'and publish the provider schema, for static can-i-deploy',
    ],
    ['$0 verify --service pdf-api --producers test/producers.ts --publish', 'in the provider pipeline'],
    ['$0 verify --service pdf-api --contracts ../pdf-worker/contracts', 'against local contract files, no broker'],
  ],
  run: async (args, p) => {
    const { resolveConfig } = await import('../config.js')
    const { publishResults, publishTarget, verify } = await import('../lib/verify.js')
    const { parseSelector } = await import('../lib/selectors.js')
    const { junitCases, mismatchLines, verifyOutcome } = await import('../lib/verify-outcome.js')
    const { paint } = await import('../output.js')
    const { DryRunClient, dryRunClient, printPlanned } = await import('../lib/dry-run.js')
    const includeWipSince = args.includeWipSince === undefined ? undefined : isoDateTime(args.includeWipSince, '--include-wip-since')
    const config = await resolveConfig({ ...args, contracts: undefined })
    const publishClient = args.dryRun ? dryRunClient(config) : undefined
    // With --json, stdout carries the report and nothing else: the plan and the published line go to stderr.
    const aside = args.json ? p.toStderr() : p
    const planned = () => {
      if (publishClient instanceof DryRunClient) printPlanned(aside, publishClient.planned, false)
    }
    const common = {
      ...versionFromEnv(args),
      service: config.service,
      producers: config.producers,
      states: args.states ?? config.states,
      contractsDir: args.contracts,
      selectors: args.selector?.map(parseSelector) ?? config.selectors,
      includeWipSince,
      brokerUrl: config.brokerUrl,
      token: config.token,
      publishClient,
    }
    // Written once the report is out, so an unwritable path never hides the verdict.
    const writeJunit = async (cases: () => JunitCase[]) => {
      if (!args.junit) return
      const { mkdir, writeFile } = await import('node:fs/promises')
      const { dirname, resolve } = await import('node:path')
      const { junitXml } = await import('../output.js')
      try {
        await mkdir(dirname(resolve(args.junit)), { recursive: true })
        await writeFile(args.junit, junitXml(cases()))
      } catch (cause) {
        throw new CliError(
          `cannot write the --junit report to ${args.junit} (${(cause as NodeJS.ErrnoException).code})`,
          'pass --junit a file path in a writable directory',
          { cause },
        )
      }
    }
    if (args.static) {
      const { publishStaticSchema, verifyStatic } = await import('../lib/verify-static.js')
      const { formatDiagnostic, formatStaticReport } = await import('@treaty/core/analysis')
      // As for a replay: what publishing needs is checked before the analysis, and the schema is sent once the
      // report is out, so a broker refusing it never hides the report.
      const providerVersion = args.publish ? await publishTarget(common, process.cwd(), 'the provider schema') : undefined
      const options = { ...common, tsconfig: args.tsconfig }
      const result = await verifyStatic(options)
      const { report } = result
      p.out(args.json ? JSON.stringify(report, null, 2) : formatStaticReport(report, { cwd: process.cwd() }))
      await writeJunit(() =>
        junitCases(report, (e) => [
          ...e.differences.map((d) => `${d.part}${d.pointer} ${d.kind}: ${d.message}`),
          ...e.diagnostics.map((d) => formatDiagnostic(d)),
        ]),
      )
      if (providerVersion !== undefined) await publishStaticSchema(result, options, providerVersion)
      planned()
      if (result.published && !publishClient)
        aside.out(`${paint(p, 'green', '✓')} published provider schema as ${report.provider} ${result.providerVersion}`)
      return p.verdict(verifyOutcome(report, { source: result.source, failIfNone: args.failIfNone, branch: result.branch }).exitCode)
    }
    // A progress line on a TTY only, drawn as it goes: pipelines read the report, not a redrawn line.
    const progress =
      p.tty && !args.json ? (done: number, total: number) => p.io.write('stderr', `\r  verified ${done}/${total}`) : undefined
    // Published after the report is printed, so a broker refusing the results never hides them; what publishing
    // needs is checked first, so a missing version does not cost a whole verification.
    const appVersion = args.publish ? await publishTarget(common, process.cwd(), 'results') : common.appVersion
    const result = await verify({ ...common, publish: false, onProgress: progress })
    if (progress) p.io.write('stderr', '\r\u001b[K')
    const { report } = result
    const outcome = verifyOutcome(report, { source: result.source, failIfNone: args.failIfNone, branch: result.branch })
    const publish = () => (args.publish ? publishResults(result, { ...common, appVersion, cwd: process.cwd() }) : Promise.resolve())
    if (args.json) {
      await writeJunit(() => junitCases(report, mismatchLines))
      await publish()
      planned()
      return p.json(result, outcome.exitCode)
    }
    if (!outcome.none) {
      const { formatReport } = await import('@treaty/core')
      p.out(formatReport(report))
    }
    for (const notice of outcome.notices) p.err(paint(p, notice.level === 'error' ? 'red' : 'yellow', notice.text))
    await writeJunit(() => junitCases(report, mismatchLines))
    if (outcome.none && result.source === 'broker') {
      const { nothingSelectedHint } = await import('../lib/known-services.js')
      const warning = await nothingSelectedHint(report.provider, common)
      if (warning) p.err(paint(p, 'yellow', `warning: ${warning}`))
    }
    await publish()
    planned()
    if (result.published && !publishClient)
      p.out(`${paint(p, 'green', '✓')} published results as ${report.provider} ${result.providerVersion}`)
    return p.verdict(outcome.exitCode)
  },
}
