import {
  type Contract,
  type ContractToVerify,
  contractHash,
  type Producers,
  readContracts,
  type Selector,
  type StateHandlers,
  type VerificationReport,
  verifyContracts,
} from '@treaty/core'
import type { BrokerClient } from '@treaty/core/client'
import { DEFAULT_SELECTORS } from '@treaty/core/wire'
import { CliError } from '../exit-codes.js'
import { defaultBranch, defaultVersion } from '../git.js'
import { type BrokerConnection, brokerClient, required } from './broker-client.js'
import { loadModule } from './load-module.js'

export interface VerifyCommandOptions extends BrokerConnection {
  service?: string | undefined
  appVersion?: string | undefined
  branch?: string | undefined
  /** Module exporting `producers` (and `states`), or the objects themselves. */
  producers?: string | Record<string, unknown> | undefined
  states?: string | Record<string, unknown> | undefined
  /** Verify the contracts in this directory instead of asking the broker. */
  contractsDir?: string | undefined
  selectors?: Selector[] | undefined
  includeWipSince?: string | undefined
  /** Send the results to the broker (needs a broker and an app version). */
  publish?: boolean | undefined
  /** Publish through this client (a DryRunClient for --dry-run); contracts are still fetched from the broker. */
  publishClient?: BrokerClient | undefined
  /** Called as each expectation finishes (the CLI draws a progress line on a TTY). */
  onProgress?: ((done: number, total: number) => void) | undefined
  cwd?: string | undefined
}

export interface VerifyCommandResult {
  report: VerificationReport
  /** Where the contracts came from. */
  source: 'broker' | 'directory'
  /** Selection notes from the broker (`selectedBy`, `wip`), by content hash. */
  selection: Record<string, { selectedBy: string[]; wip: boolean; pending: boolean }>
  /** The provider's branch (`--branch`, else CI or git), which the broker decided pending for; absent when none was found. */
  branch?: string | undefined
  published: boolean
  providerVersion?: string | undefined
}

/** Loads the provider's producers and states, fetches (or reads) contracts, verifies, optionally publishes. */
export async function verify(options: VerifyCommandOptions): Promise<VerifyCommandResult> {
  const cwd = options.cwd ?? process.cwd()
  const provider = required(options.service, '--service', 'pass --service <provider>, set TREATY_SERVICE, or set service in treaty.config')
  const appVersion = options.publish ? await publishTarget(options, cwd, 'results') : options.appVersion
  const { producers, states } = await providerSetup(options, cwd)
  const { contracts, selection, source, branch } = await contractsToVerify(provider, options, cwd)
  const report = await verifyContracts({
    provider,
    contracts,
    producers,
    states,
    ...(options.onProgress ? { onProgress: options.onProgress } : {}),
  })
  const result: VerifyCommandResult = { report, source, selection, ...(branch ? { branch } : {}), published: false }
  if (options.publish) await publishResults(result, { ...options, appVersion, cwd, branch })
  return result
}

/**
 * What `--publish` needs, checked before any producer runs or is analysed (parse, validate, then act): a broker
 * to send to, and the version to publish as (`--app-version`, else the CI commit or git HEAD), which it returns.
 */
export async function publishTarget(options: VerifyCommandOptions, cwd: string, what: string): Promise<string> {
  brokerClient({ ...options, client: options.publishClient })
  return required(
    options.appVersion ?? (await defaultVersion(cwd)),
    '--app-version',
    `pass --app-version to publish ${what} (or run inside a git repository with a commit)`,
  )
}

/** The broker takes at most this many contract results per request. */
const RESULTS_PER_REQUEST = 500

/**
 * Sends a verification's results to the broker, as `provider <app version>` on `branch`. Nothing is sent
 * when nothing was verified. Marks `result.published` and `result.providerVersion`.
 */
export async function publishResults(result: VerifyCommandResult, options: VerifyCommandOptions): Promise<void> {
  const cwd = options.cwd ?? process.cwd()
  const providerVersion = await publishTarget(options, cwd, 'results')
  const branch = options.branch ?? (await defaultBranch(cwd))
  const { report } = result
  const results = report.contracts.map((c) => ({
    contentHash: c.contentHash!,
    success: c.expectations.every((e) => e.status === 'passed'),
    expectations: c.expectations.map((e) => ({
      description: e.description,
      success: e.status === 'passed',
      status: e.status,
      mismatches: e.mismatches.map((m) => m.message),
    })),
  }))
  const client = brokerClient({ ...options, client: options.publishClient })
  for (let i = 0; i < results.length; i += RESULTS_PER_REQUEST) {
    await client.publishVerification({
      provider: report.provider,
      providerVersion,
      ...(branch ? { branch } : {}),
      results: results.slice(i, i + RESULTS_PER_REQUEST),
    })
  }
  result.published = results.length > 0
  result.providerVersion = providerVersion
}

export interface ContractsToVerify {
  contracts: ContractToVerify[]
  selection: VerifyCommandResult['selection']
  source: 'broker' | 'directory'
  branch: string | undefined
}

/** Contracts for verification from the broker (selectors, pending, WIP), or every contract in `contractsDir`. */
export async function contractsToVerify(provider: string, options: VerifyCommandOptions, cwd: string): Promise<ContractsToVerify> {
  const branch = options.branch ?? (await defaultBranch(cwd))
  if (options.contractsDir) {
    const contracts = (await readContracts(options.contractsDir)).map((contract: Contract) => ({
      contract,
      contentHash: contractHash(contract),
    }))
    return { contracts, selection: {}, source: 'directory', branch }
  }
  const response = await brokerClient(options).contractsForVerification(provider, {
    selectors: options.selectors?.length ? options.selectors : [...DEFAULT_SELECTORS],
    ...(branch ? { providerBranch: branch } : {}),
    includePending: true,
    ...(options.includeWipSince ? { includeWipSince: options.includeWipSince } : {}),
  })
  const selection: VerifyCommandResult['selection'] = {}
  for (const c of response.contracts)
    selection[c.contentHash] = { selectedBy: c.selectedBy ?? [], wip: Boolean(c.wip), pending: Boolean(c.pending) }
  const contracts = response.contracts.map((c) => ({
    contract: c.contract,
    pending: Boolean(c.pending),
    contentHash: c.contentHash,
    ...consumerLabel(c.consumerVersions),
  }))
  return { contracts, selection, source: 'broker', branch }
}

export async function providerSetup(options: VerifyCommandOptions, cwd: string): Promise<{ producers: Producers; states: StateHandlers }> {
  const from = async (value: string | Record<string, unknown> | undefined, what: string) =>
    typeof value === 'string' ? await loadModule(value, cwd, what) : value
  const mod = await from(options.producers, 'producers')
  if (!mod) {
    throw new CliError(
      'no producers configured',
      'pass --producers <module> or set "producers" in treaty.config (a module exporting `producers`)',
    )
  }
  const fallback = (mod.default ?? {}) as Record<string, unknown>
  const producers = (mod.producers ?? fallback.producers ?? (typeof options.producers === 'object' ? options.producers : undefined)) as
    | Producers
    | undefined
  if (!producers || typeof producers !== 'object') {
    throw new CliError(
      'the producers module exports no `producers` object',
      'export const producers = { "channel": async ({ params }) => ({ payload, headers }) }',
    )
  }
  const states =
    options.states === undefined
      ? ((mod.states ?? fallback.states ?? {}) as StateHandlers)
      : typeof options.states === 'string'
        ? statesOf(await loadModule(options.states, cwd, 'states'), options.states)
        : ((options.states.states ?? options.states) as StateHandlers)
  return { producers, states }
}

/**
 * The states a module of their own exports: `states`, or its default export (ESM, or a CommonJS module.exports).
 * Anything else is refused naming what it does export: its namespace taken as the map turned a misnamed export
 * into a state called `stateHandlers`.
 */
function statesOf(mod: Record<string, unknown>, file: string): StateHandlers {
  const hint = "export const states = { 'an invoice exists': async (params) => seed(params) }, or export default { … }"
  if (Object.keys(mod).includes('states')) {
    if (isStatesMap(mod.states)) return mod.states
    const what = mod.states === null ? 'null' : typeof mod.states
    throw new CliError(`the states module ${file} exports \`states\` as ${what}, not an object of states by name`, hint)
  }
  // jiti gives a TypeScript module without a default export a hidden `default` (its named exports): not one.
  const byDefault = Object.keys(mod).includes('default') ? mod.default : undefined
  if (isStatesMap(byDefault)) {
    // `module.exports = { states: {…} }` holds the map under `states`; any other default export is the map
    // itself, where a state may be called "states" beside others.
    const keys = Object.keys(byDefault)
    return keys.length === 1 && keys[0] === 'states' && isStatesMap(byDefault.states) ? byDefault.states : byDefault
  }
  const exported = Object.keys(mod).filter((k) => k !== 'default')
  throw new CliError(
    `the states module ${file} exports no \`states\`${exported.length ? ` (it exports ${exported.map((k) => `\`${k}\``).join(', ')})` : ''}`,
    hint,
  )
}

function isStatesMap(value: unknown): value is StateHandlers & Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/** "1.4.0, 1.3.2" and "main, release" from the broker's consumer versions of one content, for the report. */
function consumerLabel(versions: unknown): { consumerVersion?: string; consumerBranch?: string } {
  if (!Array.isArray(versions) || versions.length === 0) return {}
  const list = versions as { version: string; branches?: string[] }[]
  const branches = [...new Set(list.flatMap((v) => v.branches ?? []))]
  return {
    consumerVersion: list.map((v) => v.version).join(', '),
    ...(branches.length ? { consumerBranch: branches.join(', ') } : {}),
  }
}
