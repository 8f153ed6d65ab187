import type { CommandModule } from 'yargs'
import type { GlobalArgs } from '../options.js'

interface Args extends GlobalArgs {
  name: string
  production?: boolean
}

const create: CommandModule<object, Args> = {
  command: 'create <name>',
  describe: 'Create (or update) an environment; needs an admin token',
  builder: (y) =>
    y
      .positional('name', { type: 'string', demandOption: true, describe: 'Environment name, e.g. production' })
      .option('production', { type: 'boolean', default: false, describe: 'Mark it as a production environment' }),
  handler: async (args) => {
    const { resolveConfig } = await import('../config.js')
    const { createEnvironment } = await import('../lib/deployments.js')
    const { createPrinter, paint } = await import('../output.js')
    const config = await resolveConfig(args)
    const response = await createEnvironment({
      name: args.name,
      production: args.production,
      brokerUrl: config.brokerUrl,
      token: config.token,
    })
    const p = createPrinter()
    if (args.json) return p.out(JSON.stringify(response, null, 2))
    p.out(`${paint(p, 'green', '✓')} environment ${args.name}${args.production ? ' (production)' : ''} ready`)
  },
}

export const environmentCommand: CommandModule<object, object> = {
  command: 'environment <command>',
  describe: 'Manage environments',
  builder: (y) => y.command(create as unknown as CommandModule<object, object>).demandCommand(1),
  handler: () => {},
}
