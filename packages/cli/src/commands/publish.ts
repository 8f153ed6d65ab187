import type { OptionTable, ParsedOptions, TreatyCommand } from '../command.js'
import { dryRunOption, type GlobalArgs, serviceOptions, versionFromEnv } from '../options.js'

/** The option table: parsing, help text and the argument type all come from it. */
const options = {
  'app-version': serviceOptions['app-version'],
  branch: serviceOptions.branch,
  tag: { type: 'string', array: true, describe: 'Tag the consumer version (repeatable)' },
  overwrite: {
    type: 'boolean',
    describe: 'Replace different content already published for this version (needs an admin token when the broker has tokens)',
  },
  ...dryRunOption,
} satisfies OptionTable

type Args = GlobalArgs & ParsedOptions<typeof options> & { paths?: string[] }

export const publishCommand: TreatyCommand<Args> = {
  command: 'publish [paths..]',
  describe: 'Publish contract files (or directories of them) to the broker',
  positionals: {
    paths: {
      describe: 'Contract files or directories (default: contractsDir, else ./contracts)',
    },
  },
  options,
  examples: [
    ['$0 publish contracts', 'version and branch from git (or the CI variables)'],
    ['$0 publish contracts --app-version 1.4.0 --branch main --tag rc', 'explicit version, branch and tag'],
    ['$0 publish contracts --dry-run', 'print the requests; send nothing'],
  ],
  run: async (args, p) => {
    const { resolveConfig } = await import('../config.js')
    const { publish } = await import('../lib/publish.js')
    const { paint } = await import('../output.js')
    const { DryRunClient, dryRunClient, printPlanned } = await import('../lib/dry-run.js')
    const config = await resolveConfig(args)
    const client = args.dryRun ? dryRunClient(config) : undefined
    const result = await publish({
      ...versionFromEnv(args),
      paths: args.paths?.length ? args.paths : [config.contractsDir],
      brokerUrl: config.brokerUrl,
      token: config.token,
      tags: args.tag,
      overwrite: args.overwrite,
      client,
    })
    if (client instanceof DryRunClient) {
      printPlanned(p, client.planned, args.json)
      return p.verdict()
    }
    if (args.json) return p.json(result)
    for (const { consumer, providers, response } of result.published) {
      const status = typeof response.status === 'string' ? ` (${response.status})` : ''
      p.out(
        `${paint(p, 'green', '✓')} published ${consumer} ${result.version}${result.branch ? ` on ${result.branch}` : ''}: contracts with ${providers.join(', ')}${status}`,
      )
      for (const notice of response.notices ?? []) p.err(`  warning: ${notice}`)
    }
    return p.verdict()
  },
}
