/**
 * `treaty import` / `treaty export` / `treaty publish-provider-schema`: files in and out through
 * `@treaty/core/interop` (loaded only here). Import never changes an existing contract silently: a file
 * whose content would change is refused unless `overwrite` is set.
 */
import { mkdir, readdir, readFile, stat, writeFile } from 'node:fs/promises'
import { dirname, join, resolve } from 'node:path'
import { type Contract, readContracts, serializeContract } from '@treaty/core'
import type { ImportResult, InteropNote, PairEvidence, ProviderSchemaFile } from '@treaty/core/interop'
import type { InteropFormat } from '../commands/import.js'
import { CliError } from '../exit-codes.js'
import { defaultVersion } from '../git.js'
import { didYouMean } from '../usage-errors.js'
import { type BrokerConnection, brokerClient, required } from './broker-client.js'

export interface ImportCommandOptions {
  format: InteropFormat
  file: string
  out: string
  service?: string | undefined
  provider?: string | undefined
  channel?: string | undefined
  overwrite?: boolean | undefined
}

export interface ImportCommandResult {
  written: string[]
  unchanged: string[]
  notes: InteropNote[]
}

export async function importFile(options: ImportCommandOptions): Promise<ImportCommandResult> {
  // The provider of a pact is the pact's own; the channel of an AsyncAPI message its channel's address.
  if (options.format === 'pact' && options.provider) {
    throw new CliError('--provider applies to asyncapi imports: a pact names its own provider', 'drop --provider')
  }
  if (options.format === 'asyncapi' && options.channel) {
    throw new CliError('--channel applies to pact imports: an AsyncAPI operation names its channel', 'drop --channel')
  }
  const interop = await import('@treaty/core/interop')
  let result: ImportResult
  if (options.format === 'asyncapi') {
    const service = required(options.service, '--service', 'pass --service <name>: the application the AsyncAPI document describes')
    result = await interop.importAsyncApi(options.file, { service, ...(options.provider ? { provider: options.provider } : {}) })
  } else {
    result = await interop.importPactFile(options.file, options.channel ? { defaultChannel: options.channel } : {})
  }
  const files: [string, string][] = result.contracts.map((c) => [
    join(options.out, `${c.consumer}--${c.provider}.json`),
    serializeContract(c),
  ])
  if (result.providerSchema) {
    const path = join(options.out, interop.PROVIDER_SCHEMA_DIR, `${result.providerSchema.provider}.json`)
    files.push([path, `${JSON.stringify(result.providerSchema, null, 2)}\n`])
  }
  // Validate every file first, write second: a refused overwrite leaves nothing half-imported.
  const unchanged: string[] = []
  for (const [path, text] of files) {
    await refuseUnwritable(path)
    const before = await readFile(path, 'utf8').catch(() => undefined)
    if (before === text) unchanged.push(path)
    else if (before !== undefined && !options.overwrite) {
      // The file may be one a consumer test wrote: the safe way comes first, the destructive one says what it destroys.
      throw new CliError(
        `${path} exists with other content`,
        'import into another directory with --out <dir> and compare; --overwrite replaces the whole file, expectations a consumer test proved included',
      )
    }
  }
  const written: string[] = []
  for (const [path, text] of files) {
    if (unchanged.includes(path)) continue
    await mkdir(dirname(path), { recursive: true })
    await writeFile(path, text)
    written.push(path)
  }
  return { written, unchanged, notes: result.notes }
}

export interface ExportCommandOptions extends BrokerConnection {
  format: InteropFormat
  contracts: string
  out: string
  service?: string | undefined
  /** asyncapi: describe what is deployed there, from the broker, instead of the contracts directory. */
  environment?: string | undefined
  /** Replace files treaty export did not write (by default only its own earlier output is replaced). */
  overwrite?: boolean | undefined
}

export interface ExportCommandResult {
  written: string[]
  notes: InteropNote[]
}

export async function exportFiles(options: ExportCommandOptions): Promise<ExportCommandResult> {
  const interop = await import('@treaty/core/interop')
  const notes: InteropNote[] = []
  if (options.format === 'pact') {
    const contracts = await readContracts(options.contracts)
    if (contracts.length === 0) {
      throw new CliError(
        `no contract in ${options.contracts}: nothing to export`,
        'run the consumer tests first, or pass --contracts <dir>',
      )
    }
    const files = contracts.map((contract): [string, string] => {
      const { fileName, pact } = interop.exportPact(contract, notes)
      return [join(options.out, fileName), `${JSON.stringify(pact, null, 2)}\n`]
    })
    return { written: await writeExport(files, interop.isExportedPact, options.overwrite), notes }
  }
  const service = required(options.service, '--service', 'pass --service <name>: the service whose AsyncAPI document to write')
  let doc: object
  if (options.environment) {
    const deployed = await fromEnvironment(options, service, options.environment)
    doc = interop.exportAsyncApi({ service, ...deployed })
  } else {
    const contracts = await readContracts(options.contracts)
    if (!contracts.some((c: Contract) => c.consumer === service || c.provider === service)) {
      throw new CliError(`no contract in ${options.contracts} names ${service}`, 'check --service and --contracts')
    }
    const providerSchema = await readProviderSchema(join(options.contracts, interop.PROVIDER_SCHEMA_DIR), service)
    doc = interop.exportAsyncApi({ service, contracts, ...(providerSchema ? { providerSchema } : {}) })
  }
  // JSON is YAML too: one writer serves `.json`, `.yaml` and `.yml`.
  const written = await writeExport([[options.out, `${JSON.stringify(doc, null, 2)}\n`]], interop.isExportedAsyncApi, options.overwrite)
  return { written, notes }
}

/**
 * Writes an export's files, replacing what an earlier export wrote but never, without `overwrite`, a file treaty
 * did not write: the AsyncAPI document or pact-js pact the contracts were imported from often sits at that very
 * path. Every file is checked before any is written.
 */
async function writeExport(files: [string, string][], exported: (value: unknown) => boolean, overwrite: boolean | undefined) {
  for (const [path] of files) await refuseUnwritable(path)
  if (!overwrite) {
    for (const [path] of files) {
      const before = await readFile(path, 'utf8').catch(() => undefined)
      if (before === undefined || exported(parseOrUndefined(before))) continue
      throw new CliError(`${path} exists and treaty export did not write it`, 'pass --out <another path>, or --overwrite to replace it')
    }
  }
  for (const [path, text] of files) {
    await mkdir(dirname(resolve(path)), { recursive: true })
    await writeFile(path, text)
  }
  return files.map(([path]) => path)
}

/** `--out` naming a file where a directory goes, or a directory where a file goes: a usage error, found before any write. */
async function refuseUnwritable(path: string): Promise<void> {
  const parent = dirname(path)
  if ((await stat(parent).catch(() => undefined))?.isFile()) {
    throw new CliError(`--out: ${parent} is a file, where a directory goes`, 'pass --out <a directory> (it is created if missing)')
  }
  if ((await stat(path).catch(() => undefined))?.isDirectory()) {
    throw new CliError(`--out: ${path} is a directory, where a file goes`, 'pass --out <the file to write>, e.g. --out asyncapi.json')
  }
}

function parseOrUndefined(text: string): unknown {
  try {
    return JSON.parse(text)
  } catch {
    return undefined
  }
}

interface StoredContract {
  provider: string
  contentHash: string
  contract: Contract
}

/**
 * What the broker knows of `service` as deployed in `environment`: the contracts of the versions deployed
 * there on both sides, and for each pair how can-i-deploy proves it (replay, static, else only declared).
 */
async function fromEnvironment(options: ExportCommandOptions, service: string, environment: string) {
  const client = brokerClient(options)
  const { deployments } = await client.request<{ deployments: { service: string; version: string }[] }>(
    'GET',
    `/api/environments/${encodeURIComponent(environment)}/deployments`,
  )
  const version = deployments.find((d) => d.service === service)?.version
  if (!version) {
    const near = didYouMean(
      service,
      deployments.map((d) => d.service),
    )
    throw new CliError(
      `${service} is not deployed in ${environment}${near ? `; did you mean --service ${near}?` : ''}`,
      `run treaty record-deployment --service ${service} first, or drop --environment`,
    )
  }
  const decision = await client.canIDeploy({ service, version, environment })
  const byVersion = new Map<string, Promise<StoredContract[]>>()
  const contractsOf = (consumer: string, consumerVersion: string) => {
    const key = `${consumer}@${consumerVersion}`
    let found = byVersion.get(key)
    if (!found) {
      const path = `/api/contracts/${encodeURIComponent(consumer)}?${new URLSearchParams({ version: consumerVersion })}`
      found = client.request<{ contracts: StoredContract[] }>('GET', path).then((r) => r.contracts)
      byVersion.set(key, found)
    }
    return found
  }
  const contracts = new Map<string, Contract>()
  for (const c of await contractsOf(service, version)) contracts.set(c.contentHash, c.contract)
  const evidence: PairEvidence[] = []
  for (const row of decision.rows as unknown as CanIDeployRowView[]) {
    if (row.provider === service) {
      const stored = (await contractsOf(row.consumer, row.consumerVersion)).find((c) => c.contentHash === row.contentHash)
      if (stored) contracts.set(stored.contentHash, stored.contract)
    }
    evidence.push({
      consumer: row.consumer,
      provider: row.provider,
      evidence: row.status === 'verified' && row.mode ? row.mode : 'declared',
      consumerVersion: row.consumerVersion,
      ...(row.providerVersion ? { providerVersion: row.providerVersion } : {}),
      ...(row.status !== 'verified' ? { status: row.status } : {}),
    })
  }
  return { contracts: [...contracts.values()], evidence, version }
}

/** The fields of a can-i-deploy row this export reads (the broker's CanIDeployRow). */
interface CanIDeployRowView {
  consumer: string
  consumerVersion: string
  provider: string
  providerVersion: string | null
  contentHash: string
  status: 'verified' | 'failed' | 'unverified'
  mode?: 'replay' | 'static'
}

async function readProviderSchema(dir: string, service: string): Promise<ProviderSchemaFile | undefined> {
  const names = await readdir(dir).catch(() => [] as string[])
  if (!names.includes(`${service}.json`)) return undefined
  return parseProviderSchemaFile(await readFile(join(dir, `${service}.json`), 'utf8'), join(dir, `${service}.json`))
}

function parseProviderSchemaFile(text: string, path: string): ProviderSchemaFile {
  let value: Partial<ProviderSchemaFile>
  try {
    value = JSON.parse(text) as Partial<ProviderSchemaFile>
  } catch {
    throw new CliError(`${path} is not JSON`, 'write it again with treaty import asyncapi')
  }
  if (typeof value.provider !== 'string' || !Array.isArray(value.producers)) {
    throw new CliError(`${path}: provider and producers are required`, 'write it again with treaty import asyncapi')
  }
  return value as ProviderSchemaFile
}

export interface PublishProviderSchemaOptions extends BrokerConnection {
  file: string
  appVersion?: string | undefined
  branch?: string | undefined
  cwd?: string
}

export async function publishProviderSchemaFile(options: PublishProviderSchemaOptions) {
  const cwd = options.cwd ?? process.cwd()
  const text = await readFile(resolve(cwd, options.file), 'utf8').catch((cause: NodeJS.ErrnoException) => {
    throw new CliError(`cannot read ${options.file} (${cause.code})`, 'pass the file treaty import asyncapi wrote under provider-schemas/')
  })
  const schema = parseProviderSchemaFile(text, options.file)
  const providerVersion = required(
    options.appVersion ?? (await defaultVersion(cwd)),
    '--app-version',
    'pass --app-version (or run inside a git repository with a commit)',
  )
  return brokerClient(options).publishProviderSchema(schema.provider, {
    providerVersion,
    ...(options.branch ? { branch: options.branch } : {}),
    producers: schema.producers,
  })
}
