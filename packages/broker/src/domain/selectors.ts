/**
 * Consumer version selectors: which consumer versions' contracts a provider must verify.
 *
 * "Latest" is by consumer version creation order (the order the broker first saw the versions), never by
 * publication time: re-publishing an old version with `overwrite` must not make it the newest.
 * A branch's head is the latest version published from that branch that has a contract with this provider.
 */
import { type ParsedSelector, readSelectors, type Selector } from '@treaty/core/wire'
import { BrokerError, BrokerErrorCodes } from '../errors.js'
import type { PublicationFact } from './types.js'

/**
 * Checks the combination of each selector (@treaty/core/wire's `readSelectors`, shared with the CLI), as a
 * 400 naming the selector. `prefix` is where the request keeps them (`body.`), for the error's path.
 */
export function parseSelectors(raw: readonly Selector[], providerBranch: string | undefined, prefix = ''): ParsedSelector[] {
  const read = readSelectors(raw, providerBranch, prefix)
  if ('problem' in read) throw new BrokerError(BrokerErrorCodes.SELECTOR_INVALID, read.problem.message, { path: read.problem.path })
  return read.selectors
}

/** A stable key for (consumer, branch) maps. NUL cannot occur in validated names. */
const key = (consumer: string, branch: string) => `${consumer}\u0000${branch}`

export interface BranchHead {
  consumer: string
  branch: string
  publication: PublicationFact
}

/** The head of every (consumer, branch): the publication with the highest version order on that branch. */
export function branchHeads(publications: readonly PublicationFact[]): Map<string, BranchHead> {
  const heads = new Map<string, BranchHead>()
  for (const p of publications) {
    for (const branch of p.branches) {
      const k = key(p.consumer, branch)
      const current = heads.get(k)
      if (!current || p.versionOrder > current.publication.versionOrder) heads.set(k, { consumer: p.consumer, branch, publication: p })
    }
  }
  return heads
}

/** The latest publication of every consumer, whatever its branch. */
export function latestPerConsumer(publications: readonly PublicationFact[]): Map<string, PublicationFact> {
  const latest = new Map<string, PublicationFact>()
  for (const p of publications) {
    const current = latest.get(p.consumer)
    if (!current || p.versionOrder > current.versionOrder) latest.set(p.consumer, p)
  }
  return latest
}

export interface SelectedPublication {
  publication: PublicationFact
  /** Human-readable: why this consumer version was selected, one sentence per matching selector. */
  selectedBy: string[]
}

/**
 * Applies selectors to a provider's publications. A publication selected by several selectors appears once,
 * with every reason. Output order: consumer name, then newest version first.
 */
export function selectPublications(
  publications: readonly PublicationFact[],
  selectors: readonly ParsedSelector[],
  providerBranch: string | undefined,
): SelectedPublication[] {
  const heads = branchHeads(publications)
  const latest = latestPerConsumer(publications)
  const consumers = [...new Set(publications.map((p) => p.consumer))]
  const picked = new Map<PublicationFact, string[]>()
  const pick = (p: PublicationFact | undefined, why: string) => {
    if (!p) return
    const reasons = picked.get(p) ?? []
    if (!reasons.includes(why)) reasons.push(why)
    picked.set(p, reasons)
  }
  const forConsumers = (consumer: string | undefined) => (consumer === undefined ? consumers : consumers.filter((c) => c === consumer))

  for (const s of selectors) {
    switch (s.kind) {
      case 'mainBranch':
        for (const c of forConsumers(s.consumer)) {
          const main = mainBranchOf(publications, c)
          if (main !== undefined) pick(heads.get(key(c, main))?.publication, `latest version of ${c} from its main branch (${main})`)
        }
        break
      case 'branch':
        for (const c of forConsumers(s.consumer))
          pick(heads.get(key(c, s.branch))?.publication, `latest version of ${c} from branch ${s.branch}`)
        break
      case 'matchingBranch':
        for (const c of forConsumers(s.consumer)) {
          pick(
            heads.get(key(c, providerBranch!))?.publication,
            `latest version of ${c} from branch ${providerBranch}, matching the provider's branch`,
          )
        }
        break
      case 'deployed':
        for (const p of publications) {
          if (s.consumer !== undefined && p.consumer !== s.consumer) continue
          for (const env of p.deployedIn) {
            if (s.environment === undefined || env === s.environment)
              pick(p, `version ${p.consumerVersion} of ${p.consumer}, deployed in ${env}`)
          }
        }
        break
      case 'latest':
        for (const c of forConsumers(s.consumer)) pick(latest.get(c), `latest version of ${c}`)
        break
      case 'version':
        for (const p of publications) {
          if (p.consumer === s.consumer && p.consumerVersion === s.version) pick(p, `version ${s.version} of ${s.consumer}, as asked for`)
        }
        break
    }
  }
  return [...picked]
    .map(([publication, selectedBy]) => ({ publication, selectedBy }))
    .sort((a, b) => compareConsumerThenNewest(a.publication, b.publication))
}

function mainBranchOf(publications: readonly PublicationFact[], consumer: string): string | undefined {
  return publications.find((p) => p.consumer === consumer)?.consumerMainBranch
}

export function compareConsumerThenNewest(a: PublicationFact, b: PublicationFact): number {
  if (a.consumer !== b.consumer) return a.consumer < b.consumer ? -1 : 1
  return b.versionOrder - a.versionOrder
}
