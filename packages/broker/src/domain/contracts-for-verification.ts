/**
 * What a provider must verify: selected consumer versions, grouped by content hash (verifying the same
 * content twice proves nothing new), each with why it was selected and whether a failure may break the build.
 */

import type { ParsedSelector } from '@treaty/core/wire'
import { pendingStatus } from './pending.js'
import { compareConsumerThenNewest, selectPublications } from './selectors.js'
import type { PublicationFact, VerificationFact } from './types.js'
import { selectWip } from './wip.js'

export interface VerificationQuery {
  provider: string
  providerMainBranch: string
  providerBranch: string | undefined
  selectors: readonly ParsedSelector[]
  /** When false the provider did not opt into pending: nothing selected is reported pending. */
  includePending: boolean
  includeWipSince: Date | undefined
}

export interface VerificationTarget {
  contentHash: string
  consumer: string
  /** Every selected consumer version with this content, newest first. */
  consumerVersions: { version: string; branches: string[] }[]
  selectedBy: string[]
  pending: boolean
  wip: boolean
  /** One sentence for the provider's build log: why it is (or is not) pending. */
  notice: string
}

export function contractsForVerification(
  request: VerificationQuery,
  publications: readonly PublicationFact[],
  verifications: readonly VerificationFact[],
): VerificationTarget[] {
  const ctx = { provider: request.provider, providerMainBranch: request.providerMainBranch, providerBranch: request.providerBranch }
  const targets = new Map<string, VerificationTarget>()
  const add = (p: PublicationFact, reasons: string[], wip: boolean) => {
    let t = targets.get(p.contentHash)
    if (!t) {
      const status = pendingStatus(p.contentHash, verifications, ctx)
      const pending = wip || (request.includePending && status.pending)
      t = {
        contentHash: p.contentHash,
        consumer: p.consumer,
        consumerVersions: [],
        selectedBy: [],
        pending,
        wip,
        notice: wip
          ? `work in progress, so pending: ${request.provider} on ${request.providerBranch} has not verified it yet`
          : status.reason,
      }
      if (!request.includePending && !wip) t.notice = 'pending status not asked for (includePending: false): a failure fails the build'
      targets.set(p.contentHash, t)
    }
    if (!t.consumerVersions.some((v) => v.version === p.consumerVersion)) {
      t.consumerVersions.push({ version: p.consumerVersion, branches: [...p.branches].sort() })
    }
    for (const r of reasons) if (!t.selectedBy.includes(r)) t.selectedBy.push(r)
  }

  const selected = selectPublications(publications, request.selectors, request.providerBranch)
  for (const s of selected) add(s.publication, s.selectedBy, false)

  if (request.includeWipSince !== undefined && request.providerBranch !== undefined) {
    const wip = selectWip(publications, verifications, {
      provider: request.provider,
      providerBranch: request.providerBranch,
      since: request.includeWipSince,
      selectedHashes: new Set(targets.keys()),
    })
    wip.sort((a, b) => compareConsumerThenNewest(a.publication, b.publication))
    for (const w of wip) {
      const on = w.branches.map((b) => `branch ${b}`).join(', ')
      add(w.publication, [`work in progress: latest version of ${w.publication.consumer} from ${on}`], true)
    }
  }

  // Versions were added in selector order; the response lists them newest first, like everything else.
  const order = new Map(publications.map((p) => [`${p.consumer}\u0000${p.consumerVersion}`, p.versionOrder]))
  for (const t of targets.values()) {
    t.consumerVersions.sort(
      (a, b) => (order.get(`${t.consumer}\u0000${b.version}`) ?? 0) - (order.get(`${t.consumer}\u0000${a.version}`) ?? 0),
    )
  }
  return [...targets.values()]
}
