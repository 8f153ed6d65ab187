import type { OptionTable, ParsedOptions, TreatyCommand } from '../command.js'
import { dryRunOption, type GlobalArgs, serviceOptions, versionFromEnv } from '../options.js'

/** The option table: parsing, help text and the argument type all come from it. */
const options = {
  service: serviceOptions.service,
  'app-version': serviceOptions['app-version'],
  environment: { type: 'string', describe: 'The environment deployed to' },
  ...dryRunOption,
} satisfies OptionTable

type Args = GlobalArgs & ParsedOptions<typeof options>

export const recordDeploymentCommand: TreatyCommand<Args> = {
  command: 'record-deployment',
  describe: 'Record that a service version is now deployed to an environment (the previous one there is undeployed)',
  options,
  examples: [['$0 record-deployment --service pdf-api --app-version 2.3.1 --environment production', 'after the deployment succeeded']],
  run: async (args, p) => {
    const { resolveConfig } = await import('../config.js')
    const { recordDeployment } = await import('../lib/deployments.js')
    const { dryRunClient, printOutcome } = await import('../lib/dry-run.js')
    const config = await resolveConfig(args)
    const { appVersion } = versionFromEnv(args)
    const client = args.dryRun ? dryRunClient(config) : undefined
    const response = await recordDeployment({
      service: config.service,
      appVersion,
      environment: args.environment,
      brokerUrl: config.brokerUrl,
      token: config.token,
      client,
    })
    return printOutcome(p, client, args.json, response, () => `recorded ${config.service} ${appVersion} as deployed to ${args.environment}`)
  },
}
