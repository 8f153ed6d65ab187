import type { OptionTable, ParsedOptions, TreatyCommand } from '../command.js'
import type { GlobalArgs } from '../options.js'

/** The formats `treaty import` and `treaty export` speak. */
export const INTEROP_FORMATS = ['asyncapi', 'pact'] as const
export type InteropFormat = (typeof INTEROP_FORMATS)[number]

/** The option table: parsing, help text and the argument type all come from it. */
const options = {
  service: { type: 'string', describe: 'asyncapi: the application the document describes [env TREATY_SERVICE]' },
  provider: { type: 'string', describe: 'asyncapi: provider of receive operations that name none with x-treaty-provider' },
  channel: { type: 'string', describe: 'pact: channel of messages whose metadata names none (channel/subject/topic/queue)' },
  out: { type: 'string', describe: 'Directory to write into (default: contractsDir)' },
  overwrite: { type: 'boolean', describe: 'Replace contract files that exist with other content' },
} satisfies OptionTable

type Args = GlobalArgs & ParsedOptions<typeof options> & { format: string; file: string }

export const importCommand: TreatyCommand<Args> = {
  command: 'import <format> <file>',
  describe: 'Turn an AsyncAPI 2.6/3.x document or a Pact V3/V4 message pact into Treaty contracts (and a provider schema)',
  positionals: {
    format: { choices: INTEROP_FORMATS, describe: 'What the file is' },
    file: { describe: 'The AsyncAPI document (YAML or JSON) or pact file' },
  },
  options,
  examples: [
    [
      '$0 import asyncapi asyncapi.yaml --service pdf-worker --provider pdf-api',
      'receive operations → contracts, send operations → provider-schemas/pdf-worker.json',
    ],
    ['$0 import pact pacts/pdf-worker-pdf-api.json', 'a pact-js message pact → contracts/pdf-worker--pdf-api.json'],
  ],
  run: async (args, p) => {
    const { resolveConfig } = await import('../config.js')
    const { importFile } = await import('../lib/interop.js')
    const { paint } = await import('../output.js')
    const config = await resolveConfig(args)
    const result = await importFile({
      format: args.format as InteropFormat,
      file: args.file,
      out: args.out ?? config.contractsDir,
      service: config.service,
      provider: args.provider,
      channel: args.channel,
      overwrite: args.overwrite,
    })
    if (args.json) return p.json(result)
    for (const f of result.written) p.out(`${paint(p, 'green', '✓')} wrote ${f}`)
    for (const f of result.unchanged) p.out(`${paint(p, 'dim', '=')} unchanged ${f}`)
    for (const n of result.notes) p.out(paint(p, 'yellow', `  note: ${n.path}: ${n.message}`))
    return p.verdict()
  },
}
