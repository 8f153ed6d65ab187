import type { OptionTable, ParsedOptions, TreatyCommand } from '../command.js'
import type { GlobalArgs } from '../options.js'
import { INTEROP_FORMATS, type InteropFormat } from './import.js'

/** The option table: parsing, help text and the argument type all come from it. */
const options = {
  service: { type: 'string', describe: 'asyncapi: the service to describe [env TREATY_SERVICE]' },
  contracts: { type: 'string', describe: 'Contracts directory (default: contractsDir); its provider-schemas/ is read too' },
  environment: {
    type: 'string',
    describe: 'asyncapi: describe the versions deployed there, from the broker, with how each pair is proven',
  },
  out: { type: 'string', demandOption: true, describe: 'asyncapi: the file to write; pact: the directory' },
  overwrite: { type: 'boolean', describe: 'Replace files at --out that treaty export did not write (such as the imported document)' },
} satisfies OptionTable

type Args = GlobalArgs & ParsedOptions<typeof options> & { format: string }

export const exportCommand: TreatyCommand<Args> = {
  command: 'export <format>',
  describe: "Write a service's AsyncAPI 3.0 document, or contracts as Pact V4 message pacts",
  positionals: { format: { choices: INTEROP_FORMATS, describe: 'What to write' } },
  options,
  examples: [
    ['$0 export asyncapi --service pdf-worker --out asyncapi.yaml', 'every channel pdf-worker sends or receives on'],
    ['$0 export asyncapi --service pdf-worker --environment production --out asyncapi.yaml', 'what is proven in production'],
    ['$0 export pact --out pacts', 'one V4 pact per contract, for a Pact Broker'],
  ],
  run: async (args, p) => {
    const { resolveConfig } = await import('../config.js')
    const { exportFiles } = await import('../lib/interop.js')
    const { paint } = await import('../output.js')
    const config = await resolveConfig(args)
    const result = await exportFiles({
      format: args.format as InteropFormat,
      contracts: config.contractsDir,
      out: args.out,
      service: config.service,
      environment: args.environment,
      brokerUrl: config.brokerUrl,
      token: config.token,
      overwrite: args.overwrite,
    })
    if (args.json) return p.json(result)
    for (const f of result.written) p.out(`${paint(p, 'green', '✓')} wrote ${f}`)
    for (const n of result.notes) p.out(paint(p, 'yellow', `  note: ${n.path}: ${n.message}`))
    return p.verdict()
  },
}
