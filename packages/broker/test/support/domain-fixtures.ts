/** Builders for the domain tests: facts with defaults, so each test states only what matters to it. */
import type { PublicationFact, VerificationFact } from '../../src/domain/types.js'

export function pub(p: Partial<PublicationFact> & Pick<PublicationFact, 'consumer' | 'consumerVersion' | 'versionOrder'>): PublicationFact {
  return {
    branches: ['main'],
    consumerMainBranch: 'main',
    contentHash: `${p.consumer}-${p.consumerVersion}`,
    publishedAt: new Date('2026-01-01T00:00:00Z'),
    deployedIn: [],
    ...p,
  }
}

export function verified(v: Partial<VerificationFact> & Pick<VerificationFact, 'contentHash' | 'providerVersion'>): VerificationFact {
  return {
    provider: 'pdf-api',
    providerBranches: ['main'],
    success: true,
    verifiedAt: new Date('2026-01-02T00:00:00Z'),
    ...v,
  }
}
