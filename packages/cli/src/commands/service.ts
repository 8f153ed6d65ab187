/**
 * `treaty service set`: what the broker should know about a service. Today its main branch, which the
 * mainBranch selector and the pending rule follow (Pact's create-or-update-pacticipant --main-branch): a
 * repository whose main branch is `master` or `develop` is otherwise never picked by mainBranch.
 */
import type { OptionTable, ParsedOptions, TreatyCommand } from '../command.js'
import { dryRunOption, type GlobalArgs } from '../options.js'

const options = {
  'main-branch': { type: 'string', describe: 'The branch the mainBranch selector and the pending rule follow (default main)' },
  ...dryRunOption,
} satisfies OptionTable

type Args = GlobalArgs & ParsedOptions<typeof options> & { name: string }

const set: TreatyCommand<Args> = {
  command: 'set <name>',
  describe: 'Set what the broker knows of a service it has seen: its main branch',
  positionals: { name: { describe: 'The service, as it publishes (e.g. pdf-worker)' } },
  options,
  examples: [['$0 service set pdf-worker --main-branch master', 'a repository whose main branch is master']],
  run: async (args, p) => {
    const { resolveConfig } = await import('../config.js')
    const { setMainBranch } = await import('../lib/deployments.js')
    const { dryRunClient, printOutcome } = await import('../lib/dry-run.js')
    const config = await resolveConfig(args)
    const client = args.dryRun ? dryRunClient(config) : undefined
    const response = await setMainBranch({
      service: args.name,
      mainBranch: args.mainBranch,
      brokerUrl: config.brokerUrl,
      token: config.token,
      client,
    })
    return printOutcome(p, client, args.json, response, () => `${response.name}: main branch ${response.mainBranch}`)
  },
}

export const serviceCommand: TreatyCommand = {
  command: 'service <command>',
  describe: 'Tell the broker about a service (its main branch)',
  subcommands: [set as TreatyCommand],
}
