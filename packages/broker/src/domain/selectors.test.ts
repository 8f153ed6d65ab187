import type { Selector } from '@treaty/core/wire'
import { describe, expect, it } from 'vitest'
import { pub } from '../../test/support/domain-fixtures.js'
import { BrokerErrorCodes, isBrokerError } from '../errors.js'
import { parseSelectors, selectPublications } from './selectors.js'

function selectorError(raw: Selector[], providerBranch?: string) {
  try {
    parseSelectors(raw, providerBranch, 'body.')
  } catch (err) {
    if (isBrokerError(err)) return err
    throw err
  }
  throw new Error('expected parseSelectors to throw')
}

describe('parseSelectors', () => {
  it('accepts every selector kind, with an optional consumer', () => {
    expect(
      parseSelectors(
        [
          { mainBranch: true },
          { branch: 'feat/retry', consumer: 'pdf-worker' },
          { matchingBranch: true },
          { deployed: true, environment: 'production' },
          { deployed: true },
          { latest: true, consumer: 'pdf-worker' },
          { consumer: 'pdf-worker', version: '1.4.0' },
        ],
        'feat/retry',
      ),
    ).toEqual([
      { kind: 'mainBranch' },
      { kind: 'branch', branch: 'feat/retry', consumer: 'pdf-worker' },
      { kind: 'matchingBranch' },
      { kind: 'deployed', environment: 'production' },
      { kind: 'deployed' },
      { kind: 'latest', consumer: 'pdf-worker' },
      { kind: 'version', consumer: 'pdf-worker', version: '1.4.0' },
    ])
  })

  it('rejects a selector that combines two kinds, naming it', () => {
    const err = selectorError([{ mainBranch: true }, { branch: 'main', latest: true }])
    expect(err.code).toBe(BrokerErrorCodes.SELECTOR_INVALID)
    expect(err.path).toBe('body.selectors[1]')
    expect(err.message).toContain('branch and latest')
  })

  it('rejects matchingBranch when the provider did not say its branch', () => {
    const err = selectorError([{ matchingBranch: true }])
    expect(err.path).toBe('body.providerBranch')
  })

  it('rejects a version without its consumer, and a consumer without which version', () => {
    expect(selectorError([{ version: '1.0.0' }]).path).toBe('body.selectors[0].consumer')
    expect(selectorError([{ consumer: 'pdf-worker' }]).message).toContain('add latest: true')
  })

  it('rejects an environment outside a deployed selector, and flags set to false', () => {
    expect(selectorError([{ latest: true, environment: 'production' }]).path).toBe('body.selectors[0].environment')
    expect(selectorError([{ mainBranch: false }]).path).toBe('body.selectors[0].mainBranch')
    expect(selectorError([{}]).message).toContain('selects nothing')
  })
})

describe('selectPublications', () => {
  const worker = [
    pub({ consumer: 'pdf-worker', consumerVersion: '1.0.0', versionOrder: 1, branches: ['main'] }),
    pub({ consumer: 'pdf-worker', consumerVersion: '1.1.0', versionOrder: 3, branches: ['main'], deployedIn: ['production'] }),
    pub({ consumer: 'pdf-worker', consumerVersion: '1.2.0-retry', versionOrder: 4, branches: ['feat/retry'] }),
    pub({ consumer: 'pdf-worker', consumerVersion: '1.2.0', versionOrder: 5, branches: ['main'], deployedIn: ['staging'] }),
  ]
  const thumbs = [
    pub({
      consumer: 'thumbnailer',
      consumerVersion: 'a1',
      versionOrder: 2,
      branches: ['master'],
      consumerMainBranch: 'master',
      deployedIn: ['production'],
    }),
    pub({ consumer: 'thumbnailer', consumerVersion: 'b2', versionOrder: 6, branches: ['feat/retry'], consumerMainBranch: 'master' }),
  ]
  const all = [...worker, ...thumbs]
  const versions = (selected: ReturnType<typeof selectPublications>) =>
    selected.map((s) => `${s.publication.consumer}@${s.publication.consumerVersion}`)

  it('mainBranch picks the head of each consumer’s own main branch', () => {
    expect(versions(selectPublications(all, [{ kind: 'mainBranch' }], undefined))).toEqual(['pdf-worker@1.2.0', 'thumbnailer@a1'])
  })

  it('"latest" follows version order, not publication time: an old version re-published later does not become the head', () => {
    const overwritten = worker.map((p) => (p.consumerVersion === '1.0.0' ? { ...p, publishedAt: new Date('2030-01-01T00:00:00Z') } : p))
    expect(versions(selectPublications(overwritten, [{ kind: 'branch', branch: 'main' }], undefined))).toEqual(['pdf-worker@1.2.0'])
  })

  it('matchingBranch picks, for a provider on a feature branch, the consumers’ heads of the same branch only', () => {
    const selected = selectPublications(all, [{ kind: 'matchingBranch' }], 'feat/retry')
    expect(versions(selected)).toEqual(['pdf-worker@1.2.0-retry', 'thumbnailer@b2'])
    expect(selectPublications(all, [{ kind: 'matchingBranch' }], 'feat/other')).toEqual([])
  })

  it('deployed picks every deployed version, optionally in one environment: two consumers at different versions', () => {
    expect(versions(selectPublications(all, [{ kind: 'deployed', environment: 'production' }], undefined))).toEqual([
      'pdf-worker@1.1.0',
      'thumbnailer@a1',
    ])
    expect(versions(selectPublications(all, [{ kind: 'deployed' }], undefined))).toEqual([
      'pdf-worker@1.2.0',
      'pdf-worker@1.1.0',
      'thumbnailer@a1',
    ])
  })

  it('latest picks each consumer’s newest version whatever the branch; consumer narrows it', () => {
    expect(versions(selectPublications(all, [{ kind: 'latest' }], undefined))).toEqual(['pdf-worker@1.2.0', 'thumbnailer@b2'])
    expect(versions(selectPublications(all, [{ kind: 'latest', consumer: 'thumbnailer' }], undefined))).toEqual(['thumbnailer@b2'])
  })

  it('a consumer version asked for by name is selected even when nothing else would pick it', () => {
    expect(versions(selectPublications(all, [{ kind: 'version', consumer: 'pdf-worker', version: '1.0.0' }], undefined))).toEqual([
      'pdf-worker@1.0.0',
    ])
  })

  it('a version picked by several selectors appears once, with every reason', () => {
    const selected = selectPublications(worker, [{ kind: 'mainBranch' }, { kind: 'deployed' }, { kind: 'latest' }], undefined)
    expect(versions(selected)).toEqual(['pdf-worker@1.2.0', 'pdf-worker@1.1.0'])
    expect(selected[0]!.selectedBy).toEqual([
      'latest version of pdf-worker from its main branch (main)',
      'version 1.2.0 of pdf-worker, deployed in staging',
      'latest version of pdf-worker',
    ])
  })

  it('selects nothing from nothing', () => {
    expect(selectPublications([], [{ kind: 'mainBranch' }, { kind: 'deployed' }], 'main')).toEqual([])
  })
})
