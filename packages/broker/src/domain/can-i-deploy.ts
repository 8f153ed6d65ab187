/**
 * can-i-deploy: may `service` at `version` go to `environment` without breaking what already runs there?
 *
 * - As a consumer: every provider currently deployed in the environment must have verified, successfully,
 *   the content this version publishes for it. Verification is by content hash, so a success carries over
 *   to later consumer versions whose contract did not change.
 * - As a provider: every consumer version deployed in the environment must have its content for this
 *   provider verified successfully by this very provider version.
 * - Missing verification is "unknown", and unknown is not "yes".
 * - A provider not deployed in the environment blocks nothing: there is nothing there to break yet, and its
 *   own can-i-deploy will check this consumer once it goes there.
 * - A service that consumes what it sends (a contract with itself): this version must have verified its own
 *   contract, since once it runs it reads its own messages. (Its older deployed versions are not checked against it.)
 * When one provider version verified the same content several times, the latest result counts: the one recorded last (store: by time, then by record order).
 * - Static (bi-directional): a provider version with no replay result for a content, but with a published
 *   provider schema, is decided by comparing that schema with the contract's expectations (the static check in @treaty/core, provider/static-check.ts).
 *   Such rows carry `mode: 'static'`; a replay result, when there is one, always wins (`mode: 'replay'`).
 * - Observed (live traffic, `treaty observe`): rows carry what was observed; mismatches observed in the
 *   target or a production environment block, elsewhere they warn (the exact rule: observed.ts).
 */

import { differenceList, type StaticCheckDifference, staticDifferences } from '@treaty/core'
import { annotateObserved, type ObservationFact, type ObservedSummary } from './observed.js'
import { type RetainedPair, retentionPhrase } from './retention.js'
import type { ContractFact, ExpectationFact, MatrixRow, ProviderSchemaFact, VerificationFact } from './types.js'

export interface CanIDeployInput {
  service: string
  version: string
  environment: string
  /** Contracts `service@version` publishes (it is the consumer). */
  consumes: readonly ContractFact[]
  /** Contracts of consumer versions deployed in the environment with `service` as provider. */
  consumedBy: readonly ContractFact[]
  /** Every version currently deployed in the environment. */
  deployed: readonly { service: string; version: string }[]
  /** Verifications of the contents above, by the deployed providers and by `service@version`. */
  verifications: readonly VerificationFact[]
  /** Provider schemas published by the provider versions above (see `staticCandidates` for which are needed). */
  providerSchemas?: readonly ProviderSchemaFact[]
  /** The expectations of each content hash a static decision needs, by hash. */
  expectations?: ReadonlyMap<string, readonly ExpectationFact[]>
  /** Older versions whose messages (or replays) can still meet this one, from retention.ts; checked like deployed ones. */
  retained?: readonly RetainedPair[]
  /** The time retained pairs are described against (default: now). */
  now?: Date
  /** Observations of the provider versions above against the contents above (observed.ts). */
  observations?: readonly ObservationFact[]
}

export type RowStatus = 'verified' | 'failed' | 'unverified'

export interface CanIDeployRow extends MatrixRow {
  status: RowStatus
  /** Which side of the decision this row checks: `service` as consumer or as provider. */
  role: 'consumer' | 'provider'
  /** How the row was decided: by a replayed verification, or statically from the provider schema. Absent when unverified. */
  mode?: 'replay' | 'static'
  /** With `mode: 'static'` and `failed`: why the provider schema does not satisfy the contract. */
  differences?: StaticCheckDifference[]
  /** Set on rows added by a retention window: the older version and the channel that keeps its messages. */
  retention?: { olderVersion: string; until: Date; channel: string; retainedIn: string; stream: string | null; maxAgeMs: number | null }
  /** What `treaty observe` saw this provider version send, checked against this content. */
  observed?: ObservedSummary
}

export interface CanIDeployResult {
  deployable: boolean
  /** Sentences a release manager understands; the first one sums up. */
  reasons: string[]
  rows: CanIDeployRow[]
}

export function canIDeploy(input: CanIDeployInput): CanIDeployResult {
  const rows: CanIDeployRow[] = []
  const details: string[] = []
  const env = input.environment
  // A version both deployed and released in the environment is there once: one row, not one per record.
  const deployedVersions = (service: string) => [...new Set(input.deployed.filter((d) => d.service === service).map((d) => d.version))]

  for (const c of input.consumes) {
    if (c.provider === input.service) {
      const row = decide(c, input.version, input, 'consumer')
      rows.push(row)
      details.push(sentence(row, c, `${c.consumer} ${c.consumerVersion}`, `${input.service} ${input.version} (itself)`))
      continue
    }
    const providerVersions = deployedVersions(c.provider)
    if (providerVersions.length === 0) {
      details.push(
        `${c.consumer} ${c.consumerVersion} has a contract with ${c.provider}, which is not deployed in ${env}: nothing there to break yet`,
      )
      continue
    }
    for (const pv of providerVersions) {
      const row = decide(c, pv, input, 'consumer')
      rows.push(row)
      details.push(sentence(row, c, `${c.consumer} ${c.consumerVersion}`, `${c.provider} ${pv} (in ${env})`))
    }
  }

  for (const c of uniqueContracts(input.consumedBy)) {
    if (c.consumer === input.service) continue
    const row = decide(c, input.version, input, 'provider')
    rows.push(row)
    details.push(sentence(row, c, `${c.consumer} ${c.consumerVersion} (in ${env})`, `${input.service} ${input.version}`))
  }

  for (const r of input.retained ?? []) {
    const { olderVersion, until, window } = r
    const row = { ...decide(r.contract, r.providerVersion, input, r.role), retention: { olderVersion, until, ...window } }
    rows.push(row)
    details.push(`${retentionPhrase(r, env, input.now ?? new Date())}: ${retainedVerdict(row, r)}`)
  }

  const blocking = rows.filter((r) => r.status !== 'verified')
  const subject = `${input.service} ${input.version}`
  const observed = annotateObserved(rows, input.observations ?? [], env)
  details.push(...observed.blocks, ...observed.warnings)
  let summary: string
  if (blocking.length === 0 && observed.blocks.length > 0) {
    summary = `${subject} cannot be deployed to ${env}: live traffic was observed that ${observed.blocks.length} ${plural(observed.blocks.length, 'contract')} with what runs there would reject`
  } else if (rows.length === 0) {
    summary = `${subject} can be deployed to ${env}: it has no contract with anything deployed there`
  } else if (blocking.length === 0) {
    const statically = rows.filter((r) => r.mode === 'static').length
    const how = statically === 0 ? '' : ` (${statically} statically, from the provider's published schema)`
    summary = `${subject} can be deployed to ${env}: all ${rows.length} ${plural(rows.length, 'contract')} with what runs there ${rows.length === 1 ? 'is' : 'are'} verified${how}`
  } else {
    const failed = blocking.filter((r) => r.status === 'failed').length
    const unverified = blocking.length - failed
    const parts = [failed ? `${failed} failed` : '', unverified ? `${unverified} never verified` : ''].filter(Boolean).join(', ')
    summary = `${subject} cannot be deployed to ${env}: ${blocking.length} of ${rows.length} ${plural(rows.length, 'contract')} with what runs there ${blocking.length === 1 ? 'is' : 'are'} not verified (${parts})`
  }
  // One reason per root cause: several rows (channels, consumer versions) can fail for the same difference.
  return { deployable: blocking.length === 0 && observed.blocks.length === 0, reasons: [summary, ...new Set(details)], rows }
}

/** Each consumer version's contract once, however many deployment or release records put it in the environment. */
function uniqueContracts(contracts: readonly ContractFact[]): ContractFact[] {
  const seen = new Set<string>()
  return contracts.filter((c) => {
    const key = `${c.consumer}\u0000${c.consumerVersion}\u0000${c.provider}\u0000${c.contentHash}`
    if (seen.has(key)) return false
    seen.add(key)
    return true
  })
}

function decide(c: ContractFact, providerVersion: string, input: CanIDeployInput, role: CanIDeployRow['role']): CanIDeployRow {
  const latest = latestVerification(input.verifications, c.contentHash, c.provider, providerVersion)
  const base = {
    consumer: c.consumer,
    consumerVersion: c.consumerVersion,
    provider: c.provider,
    providerVersion,
    contentHash: c.contentHash,
    role,
  }
  if (latest) {
    const verification = { success: latest.success, verifiedAt: latest.verifiedAt, providerVersion }
    return { ...base, verification, status: latest.success ? 'verified' : 'failed', mode: 'replay' }
  }
  const schema = input.providerSchemas?.find((s) => s.provider === c.provider && s.providerVersion === providerVersion)
  const expectations = input.expectations?.get(c.contentHash)
  if (!schema || !expectations) return { ...base, verification: null, status: 'unverified' }
  const differences = staticDifferences(expectations, schema.producers)
  if (differences.length === 0) return { ...base, verification: null, status: 'verified', mode: 'static' }
  return { ...base, verification: null, status: 'failed', mode: 'static', differences }
}

/**
 * The provider versions (and contents) that a static decision could apply to: those rows of `input` with no
 * replay result. The store loads provider schemas and expectations for these only, so a can-i-deploy that
 * replay verification fully answers costs nothing more.
 */
export function staticCandidates(input: CanIDeployInput): { providers: { provider: string; version: string }[]; contentHashes: string[] } {
  const providers = new Map<string, { provider: string; version: string }>()
  const hashes = new Set<string>()
  const consider = (c: ContractFact, providerVersion: string) => {
    if (latestVerification(input.verifications, c.contentHash, c.provider, providerVersion)) return
    providers.set(`${c.provider}\u0000${providerVersion}`, { provider: c.provider, version: providerVersion })
    hashes.add(c.contentHash)
  }
  for (const c of input.consumes) {
    if (c.provider === input.service) consider(c, input.version)
    else for (const d of input.deployed) if (d.service === c.provider) consider(c, d.version)
  }
  for (const c of input.consumedBy) if (c.consumer !== input.service) consider(c, input.version)
  for (const r of input.retained ?? []) consider(r.contract, r.providerVersion)
  return { providers: [...providers.values()], contentHashes: [...hashes] }
}

/** The latest result of one provider version for one content; ties go to the later fact in the list. */
export function latestVerification(
  verifications: readonly VerificationFact[],
  contentHash: string,
  provider: string,
  providerVersion: string,
): VerificationFact | undefined {
  let latest: VerificationFact | undefined
  for (const v of verifications) {
    if (v.contentHash !== contentHash || v.provider !== provider || v.providerVersion !== providerVersion) continue
    if (!latest || v.verifiedAt.getTime() >= latest.verifiedAt.getTime()) latest = v
  }
  return latest
}

function sentence(row: CanIDeployRow, c: ContractFact, consumer: string, provider: string): string {
  const expects = `${consumer} expects ${channelList(c.channels)}`
  switch (row.status) {
    case 'verified':
      if (row.mode === 'static') {
        return `${provider} publishes a schema that satisfies the contract of ${consumer} (${channelList(c.channels)}): verified statically`
      }
      return `${provider} has verified the contract of ${consumer} (${channelList(c.channels)}) successfully`
    case 'failed':
      if (row.mode === 'static') {
        return `${expects}; ${provider} publishes a schema that does not satisfy it: ${differenceList(row.differences ?? [])}`
      }
      return `${expects}; ${provider} failed to verify that contract (${row.verification!.verifiedAt.toISOString()})`
    case 'unverified':
      return `${expects}; ${provider} has never verified that contract`
  }
}

function retainedVerdict(row: CanIDeployRow, r: RetainedPair): string {
  const pair = `${r.contract.consumer} ${r.contract.consumerVersion} and ${r.contract.provider} ${r.providerVersion}`
  switch (row.status) {
    case 'verified':
      return `verified compatible (${pair}, ${row.mode === 'static' ? "statically, from the provider's published schema" : 'by replay'})`
    case 'failed':
      if (row.mode === 'static') return `${differenceList(row.differences ?? [])} (${pair}, statically)`
      return `${r.contract.provider} ${r.providerVersion} failed to verify the contract of ${r.contract.consumer} ${r.contract.consumerVersion}`
    case 'unverified':
      return `${r.contract.provider} ${r.providerVersion} has never verified the contract of ${r.contract.consumer} ${r.contract.consumerVersion}, and published no provider schema`
  }
}

/** `pdf.requested`, `pdf.cancelled` and 3 more: enough to recognise the contract without flooding the report. */
export function channelList(channels: readonly string[]): string {
  const distinct = [...new Set(channels)].sort()
  if (distinct.length === 0) return 'no message'
  const shown = distinct.slice(0, 3).map((c) => `\`${c}\``)
  const rest = distinct.length - shown.length
  if (rest > 0) return `${shown.join(', ')} and ${rest} more`
  if (shown.length === 1) return shown[0]!
  return `${shown.slice(0, -1).join(', ')} and ${shown.at(-1)}`
}

function plural(n: number, word: string): string {
  return n === 1 ? word : `${word}s`
}
