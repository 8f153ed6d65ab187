import type { TreatyCommand } from '../command.js'
import type { ServiceArgs } from '../options.js'
import { serviceOptions } from '../options.js'

export const configCommand: TreatyCommand<ServiceArgs> = {
  command: 'config',
  describe: 'Print the resolved configuration (flags > env > config file), secrets masked',
  options: { service: serviceOptions.service },
  run: async (args, p) => {
    const { resolveConfig, maskedConfig } = await import('../config.js')
    return p.json(maskedConfig(await resolveConfig(args)))
  },
}
