/**
 * `treaty verify --static`: proves from the provider's TypeScript types, without running its code,
 * that every message its producers can emit satisfies each consumer expectation. ts-morph loads only here.
 */
import { resolve } from 'node:path'
import type { StaticReport } from '@treaty/core/analysis'
import { CliError } from '../exit-codes.js'
import { brokerClient, required } from './broker-client.js'
import { contractsToVerify, publishTarget, type VerifyCommandOptions } from './verify.js'

export interface StaticVerifyCommandOptions extends VerifyCommandOptions {
  /** The provider's tsconfig.json (default: none; the producers module and its imports are compiled strictly). */
  tsconfig?: string | undefined
}

export interface StaticVerifyCommandResult {
  report: StaticReport
  source: 'broker' | 'directory'
  /** True when `publish` sent the derived producers to the broker as the provider schema. */
  published: boolean
  providerVersion?: string | undefined
}

export async function verifyStatic(options: StaticVerifyCommandOptions): Promise<StaticVerifyCommandResult> {
  const cwd = options.cwd ?? process.cwd()
  const provider = required(options.service, '--service', 'pass --service <provider>, set TREATY_SERVICE, or set service in treaty.config')
  if (typeof options.producers !== 'string') {
    throw new CliError('--static needs the producers module as a file', 'pass --producers <file.ts> (the module that exports `producers`)')
  }
  const providerVersion = options.publish ? await publishTarget(options, cwd, 'the provider schema') : undefined
  const producersFile = resolve(cwd, options.producers)
  const { contracts, source, branch } = await contractsToVerify(provider, options, cwd)
  const { verifyStatically } = await import('@treaty/core/analysis')
  const report = await verifyStatically({
    provider,
    contracts,
    producerFiles: [producersFile],
    ...(options.tsconfig ? { tsconfig: resolve(cwd, options.tsconfig) } : { files: [producersFile] }),
  })
  if (providerVersion === undefined) return { report, source, published: false }
  // The provider schema is what the types allow, whatever the contracts say: published even when a check failed,
  // so the broker can answer can-i-deploy for consumers statically.
  await brokerClient({ ...options, client: options.publishClient }).publishProviderSchema(provider, {
    providerVersion,
    ...(branch ? { branch } : {}),
    producers: report.producers.map((p) => ({ key: p.key, payload: p.payload, headers: p.headers })),
  })
  return { report, source, published: true, providerVersion }
}
