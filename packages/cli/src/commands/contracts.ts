import type { TreatyCommand } from '../command.js'
import type { GlobalArgs } from '../options.js'

interface PruneArgs extends GlobalArgs {
  dir?: string
  consumer?: string
  provider?: string
  dryRun?: boolean
}

const prune: TreatyCommand<PruneArgs> = {
  command: 'prune [dir]',
  describe: 'Remove from local contract files the expectations no recorded test run owns (after a complete run of every consumer test)',
  positionals: { dir: { describe: 'Directory of the contract files (default: contractsDir, then ./contracts)' } },
  options: {
    consumer: { type: 'string', describe: 'Only the contracts of this consumer' },
    provider: { type: 'string', describe: 'Only the contracts addressed to this provider' },
    'dry-run': { type: 'boolean', describe: 'Print what would be removed; change nothing' },
  },
  examples: [
    ['$0 contracts prune --dry-run', 'list what a prune would remove from ./contracts'],
    ['$0 contracts prune contracts --consumer pdf-worker', 'prune the contracts of one consumer'],
  ],
  run: async (args, p) => {
    const { resolveConfig } = await import('../config.js')
    const { pruneContracts } = await import('../lib/prune.js')
    const { paint } = await import('../output.js')
    const config = await resolveConfig(args.dir === undefined ? args : { ...args, contracts: args.dir })
    const dryRun = args.dryRun === true
    const results = await pruneContracts({ dir: config.contractsDir, consumer: args.consumer, provider: args.provider, dryRun })
    if (args.json) return p.json({ dryRun, contracts: results })
    const verb = dryRun ? 'would remove' : 'removed'
    for (const r of results) {
      const mark = r.removed.length ? paint(p, 'yellow', '-') : paint(p, 'green', '✓')
      p.out(`${mark} ${r.contractPath}: ${verb} ${r.removed.length}, kept ${r.kept} (owned by ${r.testFiles.length} test file(s))`)
      for (const d of r.removed) p.out(`    ${verb}: ${d}`)
      for (const f of r.deletedTestFiles) p.out(`    test file deleted: ${f}`)
    }
    if (dryRun) p.out('dry run: nothing was changed')
    return p.verdict()
  },
}

export const contractsCommand: TreatyCommand = {
  command: 'contracts <command>',
  describe: 'Maintain the local contract files consumer tests write',
  subcommands: [prune as TreatyCommand],
}
