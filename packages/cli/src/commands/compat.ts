import type { TreatyCommand } from '../command.js'
import { ExitCode } from '../exit-codes.js'
import type { GlobalArgs } from '../options.js'

interface Args extends GlobalArgs {
  files: string[]
  mode: string
}

const MODES = ['backward', 'forward', 'full', 'backward_transitive', 'forward_transitive', 'full_transitive']

export const compatCommand: TreatyCommand<Args> = {
  command: 'compat <files..>',
  describe: 'Check that a schema change keeps readers working (contracts or JSON Schemas, oldest first); exit 1 when incompatible',
  positionals: { files: { describe: 'Two or more versions, oldest first' } },
  options: {
    mode: {
      type: 'string',
      choices: MODES,
      default: 'backward',
      describe:
        'backward: the new schema reads data written with the previous; forward: the previous reads the new; full: both; *_transitive: against every earlier version',
    },
  },
  examples: [
    ['$0 compat v1.json v2.json', 'can readers on v2 read messages written with v1?'],
    ['$0 compat v1.json v2.json v3.json --mode full_transitive', 'every pair, both directions'],
  ],
  run: async (args, p) => {
    const { compat } = await import('../lib/compat.js')
    const { paint } = await import('../output.js')
    const result = await compat({ files: args.files, mode: args.mode as never })
    const exitCode = result.compatible ? ExitCode.OK : ExitCode.FAILED
    if (args.json) return p.json(result, exitCode)
    for (const s of result.subjects) {
      if (s.compatible) continue
      p.out(paint(p, 'red', `✗ ${s.subject}`))
      for (const d of s.differences) {
        p.out(`  ${d.pointer || '(root)'}  ${d.kind}  ${d.message}`)
        p.out(paint(p, 'dim', `    ${d.direction}: ${d.writer} written, ${d.reader} reading`))
      }
    }
    for (const note of result.notes) p.out(paint(p, 'dim', `  note: ${note}`))
    p.out(result.compatible ? paint(p, 'green', `✓ compatible (${result.mode})`) : paint(p, 'red', `✗ incompatible (${result.mode})`))
    return p.verdict(exitCode)
  },
}
