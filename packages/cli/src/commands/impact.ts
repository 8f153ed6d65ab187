import type { TreatyCommand } from '../command.js'
import { ExitCode } from '../exit-codes.js'
import { type ServiceArgs, serviceOptions } from '../options.js'

interface Args extends ServiceArgs {
  schema?: string
  producers?: string
  states?: string
  static?: boolean
  tsconfig?: string
  environment?: string[]
  markdown?: boolean
}

export const impactCommand: TreatyCommand<Args> = {
  command: 'impact',
  describe: 'Which consumer versions a provider change breaks, field by field, before it ships (exit 1 when a deployed one breaks)',
  options: {
    service: serviceOptions.service,
    schema: { type: 'string', describe: 'What the provider would send: a provider-schema JSON file ({ producers: [...] })' },
    // Not `--version`: that prints treaty's own version, as in every CLI.
    'app-version': { type: 'string', describe: 'What the provider would send: the provider schema this provider version published' },
    producers: {
      type: 'string',
      describe:
        'What the provider would send: its producers module, run against every contract (as treaty verify does), or read from its types with --static',
    },
    states: { type: 'string', describe: 'The provider states module, for replay (default: the producers module’s `states`)' },
    static: { type: 'boolean', describe: 'Read --producers statically from the TypeScript types instead of running them' },
    tsconfig: { type: 'string', describe: "The provider's tsconfig.json (with --static)" },
    environment: { type: 'string', array: true, describe: 'Only consumer versions deployed here (and main branches) count' },
    markdown: { type: 'boolean', describe: 'Print a Markdown table for a pull-request comment' },
  },
  examples: [
    ['$0 impact --service pdf-api --producers src/producers.ts', 'by running the changed producers'],
    ['$0 impact --service pdf-api --producers src/producers.ts --static', 'from the producers’ types'],
    ['$0 impact --service pdf-api --schema provider-schema.json --markdown > impact.md', 'a pull-request comment'],
  ],
  run: async (args, p) => {
    const { resolveConfig } = await import('../config.js')
    const { impact, impactLines, impactMarkdown } = await import('../lib/impact.js')
    const config = await resolveConfig(args)
    const report = await impact({
      ...config,
      service: config.service,
      schema: args.schema,
      version: args.appVersion,
      producers: args.producers,
      states: args.states,
      static: args.static,
      tsconfig: args.tsconfig,
      environments: args.environment,
    })
    const exitCode = report.breaksDeployed ? ExitCode.FAILED : ExitCode.OK
    if (args.json) return p.json(report, exitCode)
    if (args.markdown) p.out(impactMarkdown(report))
    else for (const line of impactLines(report)) p.out(line)
    return p.verdict(exitCode)
  },
}
