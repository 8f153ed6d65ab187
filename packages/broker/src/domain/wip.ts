/**
 * Work-in-progress contracts: consumers' branch work the provider did not select but should hear about early.
 *
 * A WIP content is the head of some consumer branch (any branch), published at or after `since`, whose
 * content was not already selected and has not yet been verified successfully by a provider version on the
 * provider's current branch. WIP contents are always pending: they inform, they never fail a build.
 *
 * Only branch heads count: an intermediate commit superseded on its own branch is no longer anybody's work.
 */
import { verifiedSuccessfullyOnBranch } from './pending.js'
import { branchHeads } from './selectors.js'
import type { PublicationFact, VerificationFact } from './types.js'

export interface WipQuery {
  provider: string
  providerBranch: string
  since: Date
  /** Content hashes the selectors already picked: those are verified anyway, not as WIP. */
  selectedHashes: ReadonlySet<string>
}

export interface WipPublication {
  publication: PublicationFact
  /** The branches the publication heads, which are why it is WIP. */
  branches: string[]
}

export function selectWip(
  publications: readonly PublicationFact[],
  verifications: readonly VerificationFact[],
  query: WipQuery,
): WipPublication[] {
  const byPublication = new Map<PublicationFact, string[]>()
  for (const { branch, publication: head } of branchHeads(publications).values()) {
    if (head.publishedAt.getTime() < query.since.getTime()) continue
    if (query.selectedHashes.has(head.contentHash)) continue
    if (verifiedSuccessfullyOnBranch(head.contentHash, query.provider, query.providerBranch, verifications)) continue
    byPublication.set(head, [...(byPublication.get(head) ?? []), branch])
  }
  return [...byPublication].map(([publication, branches]) => ({ publication, branches: branches.sort() }))
}
