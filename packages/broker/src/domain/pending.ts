/**
 * The pending rule.
 *
 * A contract content (by hash) is *pending* for a provider verifying from branch B until a successful
 * verification of that exact content exists from a provider version on the provider's main branch or on B.
 * A provider verifying without a branch is on its own lane: a success from a version without a branch ends
 * pending for it (otherwise a provider that never names a branch would have every regression pending for ever).
 *
 * Why: a consumer publishing a new expectation must not break the provider's build before the provider has
 * had a chance to implement it. Once the provider has shown it can honour the content (on main, or on the
 * branch it is building now), a failure is a regression and must fail the build again.
 *
 * Because the rule is keyed by content hash, a success carries over to later consumer versions whose
 * contract did not change, and a success by some other feature branch of the provider does not count.
 */
import type { VerificationFact } from './types.js'

export interface PendingContext {
  provider: string
  providerMainBranch: string
  /** The branch the provider is verifying from; undefined when the provider did not say. */
  providerBranch: string | undefined
}

export interface PendingStatus {
  pending: boolean
  /** One sentence for the provider's build log. */
  reason: string
}

export function pendingStatus(contentHash: string, verifications: readonly VerificationFact[], ctx: PendingContext): PendingStatus {
  const branch = ctx.providerBranch
  const branchless = branch === undefined
  const counting = new Set(branchless ? [ctx.providerMainBranch] : [ctx.providerMainBranch, branch])
  const counts = (v: VerificationFact) => v.providerBranches.some((b) => counting.has(b)) || (branchless && v.providerBranches.length === 0)
  const proof = verifications.find((v) => v.contentHash === contentHash && v.provider === ctx.provider && v.success && counts(v))
  const where = [...counting].join(' or ') + (branchless ? ' or without a branch' : '')
  if (proof) {
    const on = proof.providerBranches.find((b) => counting.has(b))
    return {
      pending: false,
      reason: `${ctx.provider} ${proof.providerVersion} (${on === undefined ? 'no branch' : `branch ${on}`}) has verified this content successfully before, so a failure now fails the build`,
    }
  }
  return {
    pending: true,
    reason: `pending: no version of ${ctx.provider} on ${where} has verified this content successfully yet, so a failure will not fail the build`,
  }
}

/** True when some version of the provider on `branch` verified the content successfully. */
export function verifiedSuccessfullyOnBranch(
  contentHash: string,
  provider: string,
  branch: string,
  verifications: readonly VerificationFact[],
): boolean {
  return verifications.some(
    (v) => v.contentHash === contentHash && v.provider === provider && v.success && v.providerBranches.includes(branch),
  )
}
