/**
 * The matrix of one service version: consumer version × provider version × verification.
 *
 * As a consumer, every contract the version publishes gets one row per provider version that verified its
 * content (latest result of each), or one row without a provider version when nobody has verified it.
 * As a provider, every verification the version made gets one row per consumer version with that content:
 * content carries over, so one verification answers for every consumer version that published it.
 */
import { latestVerification } from './can-i-deploy.js'
import type { ContractFact, MatrixRow, VerificationFact } from './types.js'

export interface MatrixInput {
  /** Contracts the service version publishes. */
  consumes: readonly ContractFact[]
  /** Contracts (of any consumer version) whose content the service version verified as provider. */
  consumedBy: readonly ContractFact[]
  /** Verifications of all contents above. */
  verifications: readonly VerificationFact[]
  /** The service version the matrix is about: as provider, only its own verifications count. */
  service: string
  version: string
}

export function buildMatrix(input: MatrixInput): MatrixRow[] {
  const rows: MatrixRow[] = []
  for (const c of input.consumes) {
    const versions = providerVersionsThatVerified(input.verifications, c.contentHash, c.provider)
    if (versions.length === 0) rows.push({ ...pair(c), providerVersion: null, verification: null })
    for (const pv of versions) rows.push(row(c, pv, input.verifications))
  }
  for (const c of input.consumedBy) {
    if (c.provider !== input.service) continue
    if (!latestVerification(input.verifications, c.contentHash, input.service, input.version)) continue
    rows.push(row(c, input.version, input.verifications))
  }
  return rows
}

function pair(c: ContractFact) {
  return { consumer: c.consumer, consumerVersion: c.consumerVersion, provider: c.provider, contentHash: c.contentHash }
}

function row(c: ContractFact, providerVersion: string, verifications: readonly VerificationFact[]): MatrixRow {
  const v = latestVerification(verifications, c.contentHash, c.provider, providerVersion)!
  return { ...pair(c), providerVersion, verification: { success: v.success, verifiedAt: v.verifiedAt, providerVersion } }
}

/** Provider versions that verified the content, most recent verification first. */
function providerVersionsThatVerified(verifications: readonly VerificationFact[], contentHash: string, provider: string): string[] {
  const latestAt = new Map<string, number>()
  for (const v of verifications) {
    if (v.contentHash !== contentHash || v.provider !== provider) continue
    latestAt.set(v.providerVersion, Math.max(latestAt.get(v.providerVersion) ?? 0, v.verifiedAt.getTime()))
  }
  return [...latestAt].sort((a, b) => b[1] - a[1]).map(([version]) => version)
}
