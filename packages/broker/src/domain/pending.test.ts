import { describe, expect, it } from 'vitest'
import { verified } from '../../test/support/domain-fixtures.js'
import { pendingStatus } from './pending.js'

const onMain = { provider: 'pdf-api', providerMainBranch: 'main', providerBranch: 'main' }
const onFeature = { ...onMain, providerBranch: 'feat/retry' }

describe('pendingStatus', () => {
  it('is pending while no provider version ever verified the content', () => {
    const status = pendingStatus('h1', [], onMain)
    expect(status.pending).toBe(true)
    expect(status.reason).toContain('no version of pdf-api on main has verified this content successfully yet')
  })

  it('is no longer pending once a main-branch version verified it, whichever branch verifies now', () => {
    const vs = [verified({ contentHash: 'h1', providerVersion: '2.0.0', providerBranches: ['main'] })]
    expect(pendingStatus('h1', vs, onMain).pending).toBe(false)
    expect(pendingStatus('h1', vs, onFeature).pending).toBe(false)
    expect(pendingStatus('h1', vs, { ...onMain, providerBranch: undefined }).pending).toBe(false)
  })

  it('counts a success on the provider’s own feature branch for that branch only, not for main or other branches', () => {
    const vs = [verified({ contentHash: 'h1', providerVersion: '2.1.0-retry', providerBranches: ['feat/retry'] })]
    expect(pendingStatus('h1', vs, onFeature).pending).toBe(false)
    expect(pendingStatus('h1', vs, onMain).pending).toBe(true)
    expect(pendingStatus('h1', vs, { ...onMain, providerBranch: 'feat/other' }).pending).toBe(true)
  })

  it('does not count failures, other contents, or other providers', () => {
    const vs = [
      verified({ contentHash: 'h1', providerVersion: '2.0.0', success: false }),
      verified({ contentHash: 'h0', providerVersion: '1.9.0' }),
      verified({ contentHash: 'h1', providerVersion: '9.9.9', provider: 'someone-else' }),
    ]
    expect(pendingStatus('h1', vs, onMain).pending).toBe(true)
  })

  it('counts a success without a branch for a verification without a branch: a provider that never names one still has regressions fail', () => {
    const vs = [verified({ contentHash: 'h1', providerVersion: '2.0.0', providerBranches: [] })]
    const branchless = { ...onMain, providerBranch: undefined }
    expect(pendingStatus('h1', vs, branchless)).toEqual({
      pending: false,
      reason: 'pdf-api 2.0.0 (no branch) has verified this content successfully before, so a failure now fails the build',
    })
    expect(pendingStatus('h1', vs, onMain).pending).toBe(true)
    expect(pendingStatus('h1', vs, onFeature).pending).toBe(true)
    expect(pendingStatus('h1', [], branchless).reason).toBe(
      'pending: no version of pdf-api on main or without a branch has verified this content successfully yet, so a failure will not fail the build',
    )
  })

  it('follows the provider’s main branch when it is not called main', () => {
    const vs = [verified({ contentHash: 'h1', providerVersion: '2.0.0', providerBranches: ['master'] })]
    expect(pendingStatus('h1', vs, { ...onMain, providerMainBranch: 'master', providerBranch: 'feat/x' }).pending).toBe(false)
    expect(pendingStatus('h1', vs, onMain).pending).toBe(true)
  })
})
