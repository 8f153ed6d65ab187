import type { TreatyCommand } from '../command.js'
import { type ServiceArgs, serviceOptions, versionFromEnv } from '../options.js'

interface Args extends ServiceArgs {
  file: string
}

export const publishProviderSchemaCommand: TreatyCommand<Args> = {
  command: 'publish-provider-schema <file>',
  describe: 'Publish what a provider declares it sends (a provider-schemas/<service>.json file) for static can-i-deploy',
  positionals: { file: { describe: 'The provider-schema file (written by treaty import asyncapi)' } },
  options: { 'app-version': serviceOptions['app-version'], branch: serviceOptions.branch },
  examples: [
    ['$0 publish-provider-schema contracts/provider-schemas/pdf-worker.json --app-version 1.4.0', 'after importing its AsyncAPI document'],
  ],
  run: async (args, p) => {
    const { resolveConfig } = await import('../config.js')
    const { publishProviderSchemaFile } = await import('../lib/interop.js')
    const { paint } = await import('../output.js')
    const config = await resolveConfig(args)
    const response = await publishProviderSchemaFile({
      file: args.file,
      ...versionFromEnv(args),
      brokerUrl: config.brokerUrl,
      token: config.token,
    })
    if (args.json) return p.json(response)
    p.out(`${paint(p, 'green', '✓')} provider schema of ${response.provider} ${response.providerVersion}: ${response.status}`)
    return p.verdict()
  },
}
