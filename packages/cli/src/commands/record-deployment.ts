import type { CommandModule } from 'yargs'
import { type ServiceArgs, serviceOptions, versionFromEnv } from '../options.js'

interface Args extends ServiceArgs {
  environment?: string
  dryRun?: boolean
}

export const recordDeploymentCommand: CommandModule<object, Args> = {
  command: 'record-deployment',
  describe: 'Record that a service version is now deployed to an environment (the previous one there is undeployed)',
  builder: (y) =>
    y
      .options({
        service: serviceOptions.service,
        'app-version': serviceOptions['app-version'],
        environment: { type: 'string', describe: 'The environment deployed to' },
        'dry-run': { type: 'boolean', describe: 'Print exactly what would be sent to the broker; send nothing' },
      })
      .example('$0 record-deployment --service pdf-api --app-version 2.3.1 --environment production', 'after the deployment succeeded'),
  handler: async (args) => {
    const { resolveConfig } = await import('../config.js')
    const { recordDeployment } = await import('../lib/deployments.js')
    const { createPrinter } = await import('../output.js')
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
    printOutcome(
      createPrinter(),
      client,
      args.json,
      response,
      () => `recorded ${config.service} ${appVersion} as deployed to ${args.environment}`,
    )
  },
}
