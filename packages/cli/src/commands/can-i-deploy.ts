import type { OptionTable, ParsedOptions, TreatyCommand } from '../command.js'
import { ExitCode } from '../exit-codes.js'
import { type GlobalArgs, serviceOptions, versionFromEnv } from '../options.js'

/** The option table: parsing, help text and the argument type all come from it. */
const options = {
  service: serviceOptions.service,
  'app-version': serviceOptions['app-version'],
  to: { type: 'string', describe: 'Target environment, e.g. production' },
  'retry-while-unknown': { type: 'number', default: 0, describe: 'Ask again up to N times while results are missing' },
  'retry-interval': { type: 'number', default: 10, describe: 'Seconds between those attempts' },
} satisfies OptionTable

type Args = GlobalArgs & ParsedOptions<typeof options>

export const canIDeployCommand: TreatyCommand<Args> = {
  command: 'can-i-deploy',
  describe: 'Ask the broker whether a service version can be deployed to an environment (exit 0 yes, 1 no)',
  options,
  examples: [
    ['$0 can-i-deploy --service pdf-api --app-version 2.3.1 --to production', 'exit 0 when deployable, 1 when not'],
    [
      '$0 can-i-deploy --service pdf-api --app-version 2.3.1 --to production --retry-while-unknown 6',
      'wait for verifications still running',
    ],
  ],
  run: async (args, p) => {
    const { resolveConfig } = await import('../config.js')
    const { canIDeploy } = await import('../lib/deployments.js')
    const { paint, table } = await import('../output.js')
    const config = await resolveConfig(args)
    const response = await canIDeploy({
      ...versionFromEnv(args),
      service: config.service,
      environment: args.to,
      brokerUrl: config.brokerUrl,
      token: config.token,
      retryWhileUnknown: args.retryWhileUnknown,
      retryInterval: args.retryInterval,
      onRetry: (n) => p.live.err(`results missing; asking again (${n}/${args.retryWhileUnknown}) in ${args.retryInterval}s`),
    })
    const exitCode = response.deployable ? ExitCode.OK : ExitCode.FAILED
    if (args.json) return p.json(response, exitCode)
    const rows = (response.rows ?? []).map((r) => [r.consumer, r.consumerVersion, r.provider, r.providerVersion ?? '', r.status])
    if (rows.length) {
      for (const line of table([['CONSUMER', 'VERSION', 'PROVIDER', 'VERSION', 'STATUS'], ...rows])) p.out(line)
      p.out()
    }
    for (const reason of response.reasons ?? []) p.out(`  ${reason}`)
    p.out(
      response.deployable
        ? paint(p, 'green', `✓ ${config.service} ${args.appVersion ?? process.env.TREATY_APP_VERSION} can be deployed to ${args.to}`)
        : paint(p, 'red', `✗ ${config.service} ${args.appVersion ?? process.env.TREATY_APP_VERSION} cannot be deployed to ${args.to}`),
    )
    return p.verdict(exitCode)
  },
}
