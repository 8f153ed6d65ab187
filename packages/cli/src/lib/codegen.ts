import { mkdir, readFile, writeFile } from 'node:fs/promises'
import { join, resolve } from 'node:path'
import { readContractFiles } from './contract-files.js'

export interface CodegenOptions {
  /** Contract files or directories. */
  paths: string[]
  /** Output directory for the generated modules. */
  out: string
  /** Compare instead of writing: report stale or missing files. */
  check?: boolean | undefined
  cwd?: string | undefined
}

export interface CodegenResult {
  written: string[]
  unchanged: string[]
  /** With `check`: files whose content differs from what would be generated (or that are missing). */
  stale: string[]
}

/** One TypeScript module per contract; byte-identical on rerun, so `check` can compare. */
export async function codegen(options: CodegenOptions): Promise<CodegenResult> {
  const cwd = options.cwd ?? process.cwd()
  const { generateModule } = await import('@treaty/core/codegen')
  const contracts = await readContractFiles(options.paths, cwd)
  const out = resolve(cwd, options.out)
  const result: CodegenResult = { written: [], unchanged: [], stale: [] }
  if (!options.check) await mkdir(out, { recursive: true })
  for (const { contract, source } of contracts) {
    const { fileName, text } = await generateModule(contract, source)
    const path = join(out, fileName)
    const before = await readFile(path, 'utf8').catch(() => undefined)
    if (before === text) result.unchanged.push(path)
    else if (options.check) result.stale.push(path)
    else {
      await writeFile(path, text)
      result.written.push(path)
    }
  }
  return result
}
