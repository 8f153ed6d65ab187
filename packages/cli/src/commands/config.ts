import type { CommandModule } from 'yargs'
import type { ServiceArgs } from '../options.js'
import { serviceOptions } from '../options.js'

export const configCommand: CommandModule<object, ServiceArgs> = {
  command: 'config',
  describe: 'Print the resolved configuration (flags > env > config file), secrets masked',
  builder: (y) => y.options({ service: serviceOptions.service }),
  handler: async (args) => {
    const { resolveConfig, maskedConfig } = await import('../config.js')
    const { createPrinter } = await import('../output.js')
    const p = createPrinter()
    p.out(JSON.stringify(maskedConfig(await resolveConfig(args)), null, 2))
  },
}
