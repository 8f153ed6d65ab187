/**
 * `treaty contracts prune`: pruneContract for every contract file of a directory. Validate first, act
 * second: each contract is planned (a dry run) before any is written, so a contract no test run has
 * recorded (pruning would empty it) stops the command before it changes anything.
 */
import { type PruneResult, pruneContract } from '@treaty/core'
import { CliError } from '../exit-codes.js'
import { readContractFiles } from './contract-files.js'

export interface PruneOptions {
  dir: string
  consumer?: string
  provider?: string
  dryRun: boolean
}

export async function pruneContracts(options: PruneOptions): Promise<PruneResult[]> {
  const pairs = (await readContractFiles([options.dir], process.cwd()))
    .map(({ contract }) => ({ consumer: contract.consumer, provider: contract.provider }))
    .filter(
      (c) =>
        (options.consumer === undefined || c.consumer === options.consumer) &&
        (options.provider === undefined || c.provider === options.provider),
    )
  if (pairs.length === 0) {
    const which = [options.consumer && `consumer ${options.consumer}`, options.provider && `provider ${options.provider}`]
      .filter(Boolean)
      .join(', ')
    throw new CliError(
      `no contract file${which ? ` of ${which}` : ''} in ${options.dir}`,
      'name the directory consumer tests write contracts into (treaty contracts prune <dir>)',
    )
  }
  const plans: PruneResult[] = []
  for (const pair of pairs) plans.push(await pruneContract({ dir: options.dir, ...pair, dryRun: true }))
  if (options.dryRun) return plans
  const results: PruneResult[] = []
  for (const pair of pairs) results.push(await pruneContract({ dir: options.dir, ...pair }))
  return results
}
