import { stat } from 'node:fs/promises'
import { basename, relative, resolve } from 'node:path'
import { type Contract, contractFileName, readContract, readContractFilesIn } from '@treaty/core'
import { CliError } from '../exit-codes.js'

/**
 * Contracts from files and directories (each `*.json` directly inside), validated locally. Two files holding
 * the same consumer's contract with the same provider (a copy left beside the original) are refused: a command
 * would otherwise act on whichever it met first or last.
 */
export async function readContractFiles(paths: string[], cwd: string): Promise<{ contract: Contract; source: string }[]> {
  const files: { path: string; contract: Contract }[] = []
  for (const p of paths) {
    const full = resolve(cwd, p)
    const info = await stat(full).catch(() => undefined)
    if (!info) throw new CliError(`${p}: no such file or directory`, 'name contract files or the directory holding them')
    if (info.isDirectory()) files.push(...(await readContractFilesIn(full)))
    else files.push({ path: full, contract: await readContract(full) })
  }
  const seen = new Map<string, string>()
  for (const { path, contract } of files) {
    const pair = contractFileName(contract.consumer, contract.provider)
    const earlier = seen.get(pair)
    if (earlier !== undefined && earlier !== path) {
      throw new CliError(
        `${relative(cwd, earlier)} and ${relative(cwd, path)} both hold ${contract.consumer}'s contract with ${contract.provider}`,
        `keep one: consumer tests write ${pair}; delete or move the other file`,
      )
    }
    seen.set(pair, path)
  }
  return [...new Map(files.map((f) => [f.path, { contract: f.contract, source: basename(f.path) }])).values()]
}
