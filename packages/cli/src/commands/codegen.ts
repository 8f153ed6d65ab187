import type { OptionTable, ParsedOptions, TreatyCommand } from '../command.js'
import { ExitCode } from '../exit-codes.js'
import type { GlobalArgs } from '../options.js'

/** The option table: parsing, help text and the argument type all come from it. */
const options = {
  out: { type: 'string', default: 'src/generated', describe: 'Directory for the generated modules' },
  check: { type: 'boolean', describe: 'Write nothing; exit 1 when a generated file is stale or missing (for CI)' },
} satisfies OptionTable

type Args = GlobalArgs & ParsedOptions<typeof options> & { paths?: string[] }

export const codegenCommand: TreatyCommand<Args> = {
  command: 'codegen [paths..]',
  describe: 'Generate TypeScript types (payload and headers per expectation) from contracts',
  positionals: { paths: { describe: 'Contract files or directories (default: contractsDir)' } },
  options,
  examples: [
    ['$0 codegen contracts --out src/generated', 'one module per contract'],
    ['$0 codegen --check', 'fail the build when someone forgot to regenerate'],
  ],
  run: async (args, p) => {
    const { resolveConfig } = await import('../config.js')
    const { codegen } = await import('../lib/codegen.js')
    const { paint } = await import('../output.js')
    const config = await resolveConfig(args)
    const result = await codegen({ paths: args.paths?.length ? args.paths : [config.contractsDir], out: args.out, check: args.check })
    const exitCode = result.stale.length ? ExitCode.FAILED : ExitCode.OK
    if (args.json) return p.json(result, exitCode)
    for (const f of result.written) p.out(`${paint(p, 'green', '✓')} wrote ${f}`)
    for (const f of result.stale) p.out(`${paint(p, 'red', '✗')} stale: ${f}`)
    if (result.stale.length) p.err('  hint: run treaty codegen (without --check) and commit the result')
    else if (args.check) p.out(`${paint(p, 'green', '✓')} ${result.unchanged.length} generated file(s) up to date`)
    return p.verdict(exitCode)
  },
}
