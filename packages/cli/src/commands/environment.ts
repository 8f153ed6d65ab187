import type { TreatyCommand } from '../command.js'
import type { GlobalArgs } from '../options.js'

interface Args extends GlobalArgs {
  name: string
  production?: boolean
}

const create: TreatyCommand<Args> = {
  command: 'create <name>',
  describe: 'Create (or update) an environment; needs an admin token',
  positionals: { name: { describe: 'Environment name, e.g. production' } },
  options: { production: { type: 'boolean', default: false, describe: 'Mark it as a production environment' } },
  run: async (args, p) => {
    const { resolveConfig } = await import('../config.js')
    const { createEnvironment } = await import('../lib/deployments.js')
    const { paint } = await import('../output.js')
    const config = await resolveConfig(args)
    const response = await createEnvironment({
      name: args.name,
      production: args.production,
      brokerUrl: config.brokerUrl,
      token: config.token,
    })
    if (args.json) return p.json(response)
    p.out(`${paint(p, 'green', '✓')} environment ${args.name}${args.production ? ' (production)' : ''} ready`)
    return p.verdict()
  },
}

export const environmentCommand: TreatyCommand = {
  command: 'environment <command>',
  describe: 'Manage environments',
  subcommands: [create as TreatyCommand],
}
