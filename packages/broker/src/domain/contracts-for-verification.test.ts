import { describe, expect, it } from 'vitest'
import { pub, verified } from '../../test/support/domain-fixtures.js'
import { contractsForVerification, type VerificationQuery } from './contracts-for-verification.js'
import type { PublicationFact } from './types.js'
import { selectWip } from './wip.js'

const request: VerificationQuery = {
  provider: 'pdf-api',
  providerMainBranch: 'main',
  providerBranch: 'main',
  selectors: [{ kind: 'mainBranch' }, { kind: 'deployed' }],
  includePending: true,
  includeWipSince: undefined,
}

describe('contractsForVerification', () => {
  it('groups consumer versions with unchanged content into one entry: the content is verified once', () => {
    const pubs = [
      pub({ consumer: 'pdf-worker', consumerVersion: '1.0.0', versionOrder: 1, contentHash: 'same', deployedIn: ['production'] }),
      pub({ consumer: 'pdf-worker', consumerVersion: '1.1.0', versionOrder: 2, contentHash: 'same' }),
    ]
    const targets = contractsForVerification(request, pubs, [])
    expect(targets).toHaveLength(1)
    expect(targets[0]).toMatchObject({
      contentHash: 'same',
      consumer: 'pdf-worker',
      consumerVersions: [
        { version: '1.1.0', branches: ['main'] },
        { version: '1.0.0', branches: ['main'] },
      ],
      selectedBy: ['latest version of pdf-worker from its main branch (main)', 'version 1.0.0 of pdf-worker, deployed in production'],
      pending: true,
      wip: false,
    })
  })

  it('a success on the content carries over to a later consumer version that did not change it', () => {
    const pubs = [pub({ consumer: 'pdf-worker', consumerVersion: '1.1.0', versionOrder: 2, contentHash: 'same' })]
    const vs = [verified({ contentHash: 'same', providerVersion: '2.0.0' })]
    expect(contractsForVerification(request, pubs, vs)[0]!.pending).toBe(false)
  })

  it('reports nothing pending when the provider did not ask for pending status', () => {
    const pubs = [pub({ consumer: 'pdf-worker', consumerVersion: '1.0.0', versionOrder: 1 })]
    const [target] = contractsForVerification({ ...request, includePending: false }, pubs, [])
    expect(target!.pending).toBe(false)
    expect(target!.notice).toContain('includePending: false')
  })

  it('adds WIP contents after the selected ones, always pending, even without includePending', () => {
    const pubs = [
      pub({ consumer: 'pdf-worker', consumerVersion: '1.0.0', versionOrder: 1 }),
      pub({
        consumer: 'pdf-worker',
        consumerVersion: '1.1.0-x',
        versionOrder: 2,
        branches: ['feat/x'],
        publishedAt: new Date('2026-03-01T00:00:00Z'),
      }),
    ]
    const targets = contractsForVerification(
      { ...request, includePending: false, includeWipSince: new Date('2026-02-01T00:00:00Z') },
      pubs,
      [verified({ contentHash: 'pdf-worker-1.0.0', providerVersion: '2.0.0' })],
    )
    expect(targets.map((t) => [t.contentHash, t.wip, t.pending])).toEqual([
      ['pdf-worker-1.0.0', false, false],
      ['pdf-worker-1.1.0-x', true, true],
    ])
    expect(targets[1]!.selectedBy).toEqual(['work in progress: latest version of pdf-worker from branch feat/x'])
  })
})

describe('selectWip', () => {
  const since = new Date('2026-02-01T00:00:00Z')
  const later = new Date('2026-03-01T00:00:00Z')
  const query = { provider: 'pdf-api', providerBranch: 'feat/retry', since, selectedHashes: new Set<string>() }
  const hashes = (pubs: PublicationFact[], q = query, vs = [] as ReturnType<typeof verified>[]) =>
    selectWip(pubs, vs, q).map((w) => w.publication.contentHash)

  it('includes heads of any branch published since the date, and not older ones', () => {
    const pubs = [
      pub({ consumer: 'a', consumerVersion: '1', versionOrder: 1, branches: ['feat/old'], publishedAt: new Date('2026-01-15T00:00:00Z') }),
      pub({ consumer: 'a', consumerVersion: '2', versionOrder: 2, branches: ['feat/new'], publishedAt: later }),
    ]
    expect(hashes(pubs)).toEqual(['a-2'])
  })

  it('leaves out a version superseded on its own branch', () => {
    const pubs = [
      pub({ consumer: 'a', consumerVersion: '1', versionOrder: 1, branches: ['feat/new'], publishedAt: later }),
      pub({ consumer: 'a', consumerVersion: '2', versionOrder: 2, branches: ['feat/new'], publishedAt: later }),
    ]
    expect(hashes(pubs)).toEqual(['a-2'])
  })

  it('leaves out contents already selected, and contents the provider branch verified successfully', () => {
    const pubs = [
      pub({ consumer: 'a', consumerVersion: '1', versionOrder: 1, branches: ['x'], publishedAt: later }),
      pub({ consumer: 'b', consumerVersion: '1', versionOrder: 2, branches: ['y'], publishedAt: later }),
      pub({ consumer: 'c', consumerVersion: '1', versionOrder: 3, branches: ['z'], publishedAt: later }),
    ]
    const vs = [
      verified({ contentHash: 'b-1', providerVersion: '2.1.0', providerBranches: ['feat/retry'] }),
      // A success on another provider branch does not make it verified for this one.
      verified({ contentHash: 'c-1', providerVersion: '2.0.0', providerBranches: ['main'] }),
    ]
    expect(hashes(pubs, { ...query, selectedHashes: new Set(['a-1']) }, vs)).toEqual(['c-1'])
  })

  it('a failed verification by the provider branch keeps the content WIP', () => {
    const pubs = [pub({ consumer: 'a', consumerVersion: '1', versionOrder: 1, branches: ['x'], publishedAt: later })]
    const vs = [verified({ contentHash: 'a-1', providerVersion: '2.1.0', providerBranches: ['feat/retry'], success: false })]
    expect(hashes(pubs, query, vs)).toEqual(['a-1'])
  })
})
