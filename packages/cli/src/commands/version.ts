/**
 * `treaty version create`: registers a service version (Pact's create-or-update-version), so a provider
 * nobody consumes yet, which never published a contract or a result, can record its deployments.
 */
import type { CommandModule } from 'yargs'
import { type ServiceArgs, serviceOptions, versionFromEnv } from '../options.js'

interface Args extends ServiceArgs {
  dryRun?: boolean
}

const create: CommandModule<object, Args> = {
  command: 'create',
  describe: 'Register a service version (and the service) if new, adding --branch to it; idempotent',
  builder: (y) =>
    y
      .options({
        service: serviceOptions.service,
        'app-version': serviceOptions['app-version'],
        branch: serviceOptions.branch,
        'dry-run': { type: 'boolean', describe: 'Print exactly what would be sent to the broker; send nothing' },
      })
      .example('$0 version create --service pdf-api --app-version 2.3.1 --branch main', 'before its first record-deployment'),
  handler: async (args) => {
    const { resolveConfig } = await import('../config.js')
    const { createVersion } = await import('../lib/deployments.js')
    const { dryRunClient, printOutcome } = await import('../lib/dry-run.js')
    const { createPrinter } = await import('../output.js')
    const config = await resolveConfig(args)
    const client = args.dryRun ? dryRunClient(config) : undefined
    const response = await createVersion({
      service: config.service,
      ...versionFromEnv(args),
      brokerUrl: config.brokerUrl,
      token: config.token,
      client,
    })
    printOutcome(createPrinter(), client, args.json, response, () => {
      const on = response.branches.length > 0 ? ` (branches: ${response.branches.join(', ')})` : ''
      return `${response.service} ${response.version} ${response.changed ? 'registered' : 'already known'}${on}`
    })
  },
}

export const versionCommand: CommandModule<object, object> = {
  command: 'version <command>',
  describe: 'Manage service versions',
  builder: (y) => y.command(create as unknown as CommandModule<object, object>).demandCommand(1),
  handler: () => {},
}
