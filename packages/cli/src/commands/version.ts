/**
 * `treaty version create`: registers a service version (Pact's create-or-update-version), so a provider
 * nobody consumes yet, which never published a contract or a result, can record its deployments.
 */
import type { OptionTable, ParsedOptions, TreatyCommand } from '../command.js'
import { dryRunOption, type GlobalArgs, serviceOptions, versionFromEnv } from '../options.js'

/** The option table: parsing, help text and the argument type all come from it. */
const options = {
  service: serviceOptions.service,
  'app-version': serviceOptions['app-version'],
  branch: serviceOptions.branch,
  ...dryRunOption,
} satisfies OptionTable

type Args = GlobalArgs & ParsedOptions<typeof options>

const create: TreatyCommand<Args> = {
  command: 'create',
  describe: 'Register a service version (and the service) if new, adding --branch to it; idempotent',
  options,
  examples: [['$0 version create --service pdf-api --app-version 2.3.1 --branch main', 'before its first record-deployment']],
  run: async (args, p) => {
    const { resolveConfig } = await import('../config.js')
    const { createVersion } = await import('../lib/deployments.js')
    const { dryRunClient, printOutcome } = await import('../lib/dry-run.js')
    const config = await resolveConfig(args)
    const client = args.dryRun ? dryRunClient(config) : undefined
    const response = await createVersion({
      service: config.service,
      ...versionFromEnv(args),
      brokerUrl: config.brokerUrl,
      token: config.token,
      client,
    })
    return printOutcome(p, client, args.json, response, () => {
      const on = response.branches.length > 0 ? ` (branches: ${response.branches.join(', ')})` : ''
      return `${response.service} ${response.version} ${response.changed ? 'registered' : 'already known'}${on}`
    })
  },
}

export const versionCommand: TreatyCommand = {
  command: 'version <command>',
  describe: 'Manage service versions',
  subcommands: [create as TreatyCommand],
}
