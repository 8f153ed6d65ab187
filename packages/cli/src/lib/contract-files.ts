import { stat } from 'node:fs/promises'
import { basename, resolve } from 'node:path'
import { type Contract, readContract, readContracts } from '@treaty/core'
import { CliError } from '../exit-codes.js'

/** Contracts from files and directories (each `*.json` directly inside), validated locally. */
export async function readContractFiles(paths: string[], cwd: string): Promise<{ contract: Contract; source: string }[]> {
  const out: { contract: Contract; source: string }[] = []
  for (const p of paths) {
    const full = resolve(cwd, p)
    const info = await stat(full).catch(() => undefined)
    if (!info) throw new CliError(`${p}: no such file or directory`, 'name contract files or the directory holding them')
    if (info.isDirectory()) {
      for (const contract of await readContracts(full)) out.push({ contract, source: `${contract.consumer}--${contract.provider}.json` })
    } else out.push({ contract: await readContract(full), source: basename(full) })
  }
  return out
}
