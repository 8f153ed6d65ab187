/**
 * `treaty delete service|version`: undo a mistake (a typo that became a service, a version published by
 * accident). Admin token; the broker logs who (`--by`, default the CI actor or $USER) and when. Without
 * `--yes` nothing is deleted: a destructive command never runs on a half-typed line.
 */
import type { TreatyCommand } from '../command.js'
import { CliError } from '../exit-codes.js'
import { dryRunOption, type GlobalArgs } from '../options.js'

interface Args extends GlobalArgs {
  name: string
  appVersion?: string
  yes?: boolean
  by?: string
  dryRun?: boolean
}

const shared = {
  yes: { type: 'boolean', describe: 'Really delete (required: there is no undo)' },
  by: { type: 'string', describe: 'Who deletes, for the broker’s deletion log (default: $GITHUB_ACTOR, $GITLAB_USER_LOGIN or $USER)' },
  ...dryRunOption,
} as const

function deleteCommand(command: string, describe: string, withVersion: boolean): TreatyCommand<Args> {
  return {
    command,
    describe,
    positionals: { name: { describe: 'The service' }, 'app-version': { describe: 'Its version' } },
    options: shared,
    run: async (args, p) => {
      const { resolveConfig } = await import('../config.js')
      const { brokerClient } = await import('../lib/broker-client.js')
      const { DryRunClient, dryRunClient, printPlanned } = await import('../lib/dry-run.js')
      const { paint } = await import('../output.js')
      const config = await resolveConfig(args)
      if (!args.yes && !args.dryRun) {
        throw new CliError('deleting needs --yes', `add --yes to delete, or --dry-run to see the request`)
      }
      const by = args.by ?? process.env.GITHUB_ACTOR ?? process.env.GITLAB_USER_LOGIN ?? process.env.USER ?? 'unnamed'
      const client = args.dryRun ? dryRunClient(config) : brokerClient(config)
      const response =
        withVersion && args.appVersion !== undefined
          ? await client.deleteVersion(args.name, args.appVersion, by)
          : await client.deleteService(args.name, by)
      if (client instanceof DryRunClient) {
        printPlanned(p, client.planned, args.json)
        return p.verdict()
      }
      if (args.json) return p.json(response)
      const what = response.version === null ? response.service : `${response.service} ${response.version}`
      const rows = Object.entries(response.removed)
        .filter(([, n]) => n > 0)
        .map(([table, n]) => `${n} ${table}`)
      p.out(`${paint(p, 'green', '✓')} deleted ${what} (${rows.join(', ')}); logged as deleted by ${response.deletedBy}`)
      return p.verdict()
    },
  }
}

export const deleteCommandGroup: TreatyCommand = {
  command: 'delete <what>',
  describe: 'Delete a service or a version with everything hanging off it (admin token; logged)',
  subcommands: [
    deleteCommand('service <name>', 'Delete a service: its versions, contracts, verifications, deployments', false),
    // Not `<version>`: a positional of that name would take a stray `--version` as its value.
    deleteCommand('version <name> <app-version>', 'Delete one version of a service', true),
  ] as TreatyCommand[],
}
