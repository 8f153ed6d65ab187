import type { Contract, PublishResponse } from '@treaty/core'
import { CliError } from '../exit-codes.js'
import { defaultBranch, defaultVersion } from '../git.js'
import { type BrokerConnection, brokerClient, required } from './broker-client.js'
import { readContractFiles } from './contract-files.js'

export interface PublishOptions extends BrokerConnection {
  /** Contract files or directories of them (default: `contracts`). */
  paths: string[]
  /** The consumer's version; default: CI commit variables, else `git rev-parse HEAD`. */
  appVersion?: string | undefined
  /** Default: CI branch variables, else the current git branch. */
  branch?: string | undefined
  tags?: string[] | undefined
  overwrite?: boolean | undefined
  cwd?: string | undefined
}

export interface PublishResult {
  version: string
  branch: string | undefined
  published: { consumer: string; providers: string[]; response: PublishResponse }[]
}

/** Reads and validates every contract locally (nothing is sent if one is bad), then publishes per consumer. */
export async function publish(options: PublishOptions): Promise<PublishResult> {
  const cwd = options.cwd ?? process.cwd()
  const contracts = (await readContractFiles(options.paths.length ? options.paths : ['contracts'], cwd)).map((c) => c.contract)
  if (contracts.length === 0) {
    throw new CliError(
      `no contract files found in ${options.paths.join(', ') || 'contracts'}`,
      'run the consumer tests first, or name the directory they write to',
    )
  }
  const version = required(
    options.appVersion ?? (await defaultVersion(cwd)),
    '--app-version',
    'pass --app-version or run inside a git repository with a commit',
  )
  const branch = options.branch ?? (await defaultBranch(cwd))
  const client = brokerClient(options)
  const byConsumer = new Map<string, Contract[]>()
  for (const c of contracts) byConsumer.set(c.consumer, [...(byConsumer.get(c.consumer) ?? []), c])
  const published: PublishResult['published'] = []
  for (const [consumer, list] of byConsumer) {
    const response = await client.publishContracts({
      consumer,
      version,
      ...(branch ? { branch } : {}),
      ...(options.tags?.length ? { tags: options.tags } : {}),
      ...(options.overwrite ? { overwrite: true } : {}),
      contracts: list,
    })
    published.push({ consumer, providers: list.map((c) => c.provider), response })
  }
  return { version, branch, published }
}
