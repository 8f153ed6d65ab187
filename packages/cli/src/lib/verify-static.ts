/**
 * `treaty verify --static`: proves from the provider's TypeScript types, without running its code,
 * that every message its producers can emit satisfies each consumer expectation. ts-morph loads only here.
 */
import { resolve } from 'node:path'
import type { StaticReport } from '@treaty/core/analysis'
import { CliError } from '../exit-codes.js'
import { brokerClient, required } from './broker-client.js'
import { contractsToVerify, type VerifyCommandOptions } from './verify.js'

export interface StaticVerifyCommandOptions extends VerifyCommandOptions {
  /** The provider's tsconfig.json (default: none; the producers module and its imports are compiled strictly). */
  tsconfig?: string | undefined
}

export interface StaticVerifyCommandResult {
  report: StaticReport
  source: 'broker' | 'directory'
  /** The provider's branch, for publishing. */
  branch: string | undefined
  /** True once `publishProviderSchema` sent the derived producers to the broker as the provider schema. */
  published: boolean
  providerVersion?: string | undefined
}

/** Checks the producers' types against the contracts; publishing is `publishStaticSchema`'s, once the report is shown. */
export async function verifyStatic(options: StaticVerifyCommandOptions): Promise<StaticVerifyCommandResult> {
  const cwd = options.cwd ?? process.cwd()
  const provider = required(options.service, '--service', 'pass --service <provider>, set TREATY_SERVICE, or set service in treaty.config')
  if (typeof options.producers !== 'string') {
    throw new CliError('--static needs the producers module as a file', 'pass --producers <file.ts> (the module that exports `producers`)')
  }
  const producersFile = resolve(cwd, options.producers)
  const { contracts, source, branch } = await contractsToVerify(provider, options, cwd)
  const { verifyStatically } = await import('@treaty/core/analysis')
  const report = await verifyStatically({
    provider,
    contracts,
    producerFiles: [producersFile],
    ...(options.tsconfig ? { tsconfig: resolve(cwd, options.tsconfig) } : { files: [producersFile] }),
  })
  return { report, source, branch, published: false }
}

/**
 * Sends what the types allow as the provider schema of `providerVersion` (checked with `publishTarget` before the
 * analysis), whatever the contracts say: published even when a check failed, so the broker can answer can-i-deploy
 * for consumers statically. Marks `result.published` and `result.providerVersion`.
 */
export async function publishStaticSchema(
  result: StaticVerifyCommandResult,
  options: StaticVerifyCommandOptions,
  providerVersion: string,
): Promise<void> {
  const { report, branch } = result
  await brokerClient({ ...options, client: options.publishClient }).publishProviderSchema(report.provider, {
    providerVersion,
    ...(branch ? { branch } : {}),
    producers: report.producers.map((p) => ({ key: p.key, payload: p.payload, headers: p.headers })),
  })
  result.published = true
  result.providerVersion = providerVersion
}
