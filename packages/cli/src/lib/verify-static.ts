/**
 * `treaty verify --static`: proves from the provider's TypeScript types, without running its code,
 * that every message its producers can emit satisfies each consumer expectation. ts-morph loads only here.
 */
import { resolve } from 'node:path'
import type { StaticReport } from '@treaty/core/analysis'
import { CliError, ExitCode } from '../exit-codes.js'
import { required } from './broker-client.js'
import { contractsToVerify, type VerifyCommandOptions } from './verify.js'

export interface StaticVerifyCommandOptions extends VerifyCommandOptions {
  /** The provider's tsconfig.json (default: none; the producers module and its imports are compiled strictly). */
  tsconfig?: string | undefined
}

export interface StaticVerifyCommandResult {
  report: StaticReport
  source: 'broker' | 'directory'
}

export async function verifyStatic(options: StaticVerifyCommandOptions): Promise<StaticVerifyCommandResult> {
  const cwd = options.cwd ?? process.cwd()
  const provider = required(options.service, '--service', 'pass --service <provider>, set TREATY_SERVICE, or set service in treaty.config')
  if (typeof options.producers !== 'string') {
    throw new CliError(
      '--static needs the producers module as a file',
      ExitCode.USAGE,
      'pass --producers <file.ts> (the module that exports `producers`)',
    )
  }
  const producersFile = resolve(cwd, options.producers)
  const { contracts, source } = await contractsToVerify(provider, options, cwd)
  const { verifyStatically } = await import('@treaty/core/analysis')
  const report = await verifyStatically({
    provider,
    contracts,
    producerFiles: [producersFile],
    ...(options.tsconfig ? { tsconfig: resolve(cwd, options.tsconfig) } : { files: [producersFile] }),
  })
  return { report, source }
}
