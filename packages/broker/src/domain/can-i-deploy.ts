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
 * When one provider version verified the same content several times, the latest result counts.
 */
import type { ContractFact, MatrixRow, VerificationFact } from './types.js'

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
}

export type RowStatus = 'verified' | 'failed' | 'unverified'

export interface CanIDeployRow extends MatrixRow {
  status: RowStatus
  /** Which side of the decision this row checks: `service` as consumer or as provider. */
  role: 'consumer' | 'provider'
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
  const deployedVersions = (service: string) => input.deployed.filter((d) => d.service === service).map((d) => d.version)

  for (const c of input.consumes) {
    if (c.provider === input.service) continue
    const providerVersions = deployedVersions(c.provider)
    if (providerVersions.length === 0) {
      details.push(
        `${c.consumer} ${c.consumerVersion} has a contract with ${c.provider}, which is not deployed in ${env}: nothing there to break yet`,
      )
      continue
    }
    for (const pv of providerVersions) {
      const row = decide(c, pv, input.verifications, 'consumer')
      rows.push(row)
      details.push(sentence(row, c, `${c.consumer} ${c.consumerVersion}`, `${c.provider} ${pv} (in ${env})`))
    }
  }

  for (const c of input.consumedBy) {
    if (c.consumer === input.service) continue
    const row = decide(c, input.version, input.verifications, 'provider')
    rows.push(row)
    details.push(sentence(row, c, `${c.consumer} ${c.consumerVersion} (in ${env})`, `${input.service} ${input.version}`))
  }

  const blocking = rows.filter((r) => r.status !== 'verified')
  const subject = `${input.service} ${input.version}`
  let summary: string
  if (rows.length === 0) {
    summary = `${subject} can be deployed to ${env}: it has no contract with anything deployed there`
  } else if (blocking.length === 0) {
    summary = `${subject} can be deployed to ${env}: all ${rows.length} ${plural(rows.length, 'contract')} with what runs there ${rows.length === 1 ? 'is' : 'are'} verified`
  } else {
    const failed = blocking.filter((r) => r.status === 'failed').length
    const unverified = blocking.length - failed
    const parts = [failed ? `${failed} failed` : '', unverified ? `${unverified} never verified` : ''].filter(Boolean).join(', ')
    summary = `${subject} cannot be deployed to ${env}: ${blocking.length} of ${rows.length} ${plural(rows.length, 'contract')} with what runs there ${blocking.length === 1 ? 'is' : 'are'} not verified (${parts})`
  }
  return { deployable: blocking.length === 0, reasons: [summary, ...details], rows }
}

function decide(
  c: ContractFact,
  providerVersion: string,
  verifications: readonly VerificationFact[],
  role: CanIDeployRow['role'],
): CanIDeployRow {
  const latest = latestVerification(verifications, c.contentHash, c.provider, providerVersion)
  return {
    consumer: c.consumer,
    consumerVersion: c.consumerVersion,
    provider: c.provider,
    providerVersion,
    contentHash: c.contentHash,
    verification: latest ? { success: latest.success, verifiedAt: latest.verifiedAt, providerVersion } : null,
    status: !latest ? 'unverified' : latest.success ? 'verified' : 'failed',
    role,
  }
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
      return `${provider} has verified the contract of ${consumer} (${channelList(c.channels)}) successfully`
    case 'failed':
      return `${expects}; ${provider} failed to verify that contract (${row.verification!.verifiedAt.toISOString()})`
    case 'unverified':
      return `${expects}; ${provider} has never verified that contract`
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
