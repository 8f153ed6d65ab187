import { describe, expect, it } from 'vitest'
import { verified } from '../../test/support/domain-fixtures.js'
import { type CanIDeployInput, canIDeploy, channelList } from './can-i-deploy.js'
import type { ContractFact } from './types.js'

const contract = (c: Partial<ContractFact> & Pick<ContractFact, 'consumerVersion' | 'contentHash'>): ContractFact => ({
  consumer: 'pdf-worker',
  provider: 'pdf-api',
  channels: ['pdf.requested'],
  ...c,
})

const asConsumer = (over: Partial<CanIDeployInput> = {}): CanIDeployInput => ({
  service: 'pdf-worker',
  version: '1.4.0',
  environment: 'production',
  consumes: [contract({ consumerVersion: '1.4.0', contentHash: 'h14' })],
  consumedBy: [],
  deployed: [{ service: 'pdf-api', version: '2.3.1' }],
  verifications: [],
  ...over,
})

describe('canIDeploy as a consumer', () => {
  it('says no for a never-verified pair, in words a release manager understands', () => {
    const result = canIDeploy(asConsumer())
    expect(result.deployable).toBe(false)
    expect(result.reasons).toContain(
      'pdf-worker 1.4.0 expects `pdf.requested`; pdf-api 2.3.1 (in production) has never verified that contract',
    )
    expect(result.reasons[0]).toBe(
      'pdf-worker 1.4.0 cannot be deployed to production: 1 of 1 contract with what runs there is not verified (1 never verified)',
    )
    expect(result.rows).toMatchObject([
      { provider: 'pdf-api', providerVersion: '2.3.1', status: 'unverified', verification: null, role: 'consumer' },
    ])
  })

  it('says yes when the deployed provider verified this content, even through an earlier consumer version with the same content', () => {
    // 1.4.0 publishes the content 1.3.0 published (h13); pdf-api verified it when 1.3.0 was current.
    const result = canIDeploy(
      asConsumer({
        consumes: [contract({ consumerVersion: '1.4.0', contentHash: 'h13' })],
        verifications: [verified({ contentHash: 'h13', providerVersion: '2.3.1' })],
      }),
    )
    expect(result.deployable).toBe(true)
    expect(result.rows[0]).toMatchObject({ status: 'verified', verification: { success: true, providerVersion: '2.3.1' } })
  })

  it('only the deployed provider version counts: a newer provider version’s success does not vouch for production', () => {
    const result = canIDeploy(
      asConsumer({ verifications: [verified({ contentHash: 'h14', providerVersion: '2.4.0-feat', providerBranches: ['feat/x'] })] }),
    )
    expect(result.deployable).toBe(false)
    expect(result.rows[0]!.status).toBe('unverified')
  })

  it('the latest result of the deployed provider version wins: failed, then fixed, is yes; fixed, then failed, is no', () => {
    const t1 = new Date('2026-01-01T00:00:00Z')
    const t2 = new Date('2026-01-02T00:00:00Z')
    const failThenPass = [
      verified({ contentHash: 'h14', providerVersion: '2.3.1', success: false, verifiedAt: t1 }),
      verified({ contentHash: 'h14', providerVersion: '2.3.1', success: true, verifiedAt: t2 }),
    ]
    expect(canIDeploy(asConsumer({ verifications: failThenPass })).deployable).toBe(true)
    const passThenFail = failThenPass.map((v) => ({ ...v, success: !v.success }))
    const result = canIDeploy(asConsumer({ verifications: passThenFail }))
    expect(result.deployable).toBe(false)
    expect(result.reasons[1]).toBe(
      'pdf-worker 1.4.0 expects `pdf.requested`; pdf-api 2.3.1 (in production) failed to verify that contract (2026-01-02T00:00:00.000Z)',
    )
  })

  it('a provider not deployed in the environment blocks nothing', () => {
    const result = canIDeploy(asConsumer({ deployed: [] }))
    expect(result.deployable).toBe(true)
    expect(result.rows).toEqual([])
    expect(result.reasons).toEqual([
      'pdf-worker 1.4.0 can be deployed to production: it has no contract with anything deployed there',
      'pdf-worker 1.4.0 has a contract with pdf-api, which is not deployed in production: nothing there to break yet',
    ])
  })
})

describe('canIDeploy as a provider', () => {
  const asProvider = (over: Partial<CanIDeployInput> = {}): CanIDeployInput => ({
    service: 'pdf-api',
    version: '2.4.0',
    environment: 'production',
    consumes: [],
    // Two consumers in production, at different versions with different contents.
    consumedBy: [
      contract({ consumer: 'pdf-worker', consumerVersion: '1.4.0', contentHash: 'w14' }),
      contract({ consumer: 'thumbnailer', consumerVersion: '0.9.0', contentHash: 't09', channels: ['pdf.rendered', 'pdf.failed'] }),
    ],
    deployed: [
      { service: 'pdf-worker', version: '1.4.0' },
      { service: 'thumbnailer', version: '0.9.0' },
      { service: 'pdf-api', version: '2.3.1' },
    ],
    verifications: [],
    ...over,
  })

  it('gives each reason once, even when one consumer version is both deployed and released there', () => {
    const twice = contract({ consumer: 'ios-app', consumerVersion: '4.2.0', contentHash: 'i42' })
    const result = canIDeploy(asProvider({ consumedBy: [twice, twice] }))
    const sentences = result.reasons.filter((r) => r.startsWith('ios-app 4.2.0'))
    expect(sentences).toHaveLength(1)
  })

  it('needs every deployed consumer version verified by this provider version; names the one missing', () => {
    const result = canIDeploy(asProvider({ verifications: [verified({ contentHash: 'w14', providerVersion: '2.4.0' })] }))
    expect(result.deployable).toBe(false)
    expect(result.rows.map((r) => [r.consumer, r.status])).toEqual([
      ['pdf-worker', 'verified'],
      ['thumbnailer', 'unverified'],
    ])
    expect(result.reasons).toContain(
      'thumbnailer 0.9.0 (in production) expects `pdf.failed` and `pdf.rendered`; pdf-api 2.4.0 has never verified that contract',
    )
  })

  it('is deployable once both are verified by this version; the version in production verifying them does not count', () => {
    const byDeployed = [
      verified({ contentHash: 'w14', providerVersion: '2.3.1' }),
      verified({ contentHash: 't09', providerVersion: '2.3.1' }),
    ]
    expect(canIDeploy(asProvider({ verifications: byDeployed })).deployable).toBe(false)
    const byThis = byDeployed.map((v) => ({ ...v, providerVersion: '2.4.0' }))
    const result = canIDeploy(asProvider({ verifications: byThis }))
    expect(result.deployable).toBe(true)
    expect(result.reasons[0]).toBe('pdf-api 2.4.0 can be deployed to production: all 2 contracts with what runs there are verified')
  })
})

describe('canIDeploy for a service that consumes what it sends', () => {
  // pdf-api 2.4.0 reads its own `pdf.retry` messages; 2.3.1 (with the same kind of contract) is in production.
  const own = (over: Partial<CanIDeployInput> = {}): CanIDeployInput => ({
    service: 'pdf-api',
    version: '2.4.0',
    environment: 'production',
    consumes: [contract({ consumer: 'pdf-api', consumerVersion: '2.4.0', contentHash: 's24', channels: ['pdf.retry'] })],
    consumedBy: [contract({ consumer: 'pdf-api', consumerVersion: '2.3.1', contentHash: 's23', channels: ['pdf.retry'] })],
    deployed: [{ service: 'pdf-api', version: '2.3.1' }],
    verifications: [],
    ...over,
  })

  it('needs this version to have verified its own contract: never verified or failed is no, verified is yes', () => {
    const never = canIDeploy(own())
    expect(never.deployable).toBe(false)
    expect(never.rows).toMatchObject([{ consumerVersion: '2.4.0', providerVersion: '2.4.0', status: 'unverified' }])
    expect(never.reasons).toContain('pdf-api 2.4.0 expects `pdf.retry`; pdf-api 2.4.0 (itself) has never verified that contract')
    const failed = canIDeploy(own({ verifications: [verified({ contentHash: 's24', providerVersion: '2.4.0', success: false })] }))
    expect(failed.deployable).toBe(false)
    expect(failed.rows[0]).toMatchObject({ status: 'failed', mode: 'replay' })
    const passed = canIDeploy(own({ verifications: [verified({ contentHash: 's24', providerVersion: '2.4.0' })] }))
    expect(passed.deployable).toBe(true)
    expect(passed.rows).toHaveLength(1)
  })

  it('does not count the deployed version’s verification of the new contract', () => {
    const result = canIDeploy(own({ verifications: [verified({ contentHash: 's24', providerVersion: '2.3.1' })] }))
    expect(result.deployable).toBe(false)
  })
})

describe('channelList', () => {
  it('names up to three channels, sorted and de-duplicated, then counts the rest', () => {
    expect(channelList(['b', 'a', 'b'])).toBe('`a` and `b`')
    expect(channelList(['d', 'c', 'b', 'a', 'e'])).toBe('`a`, `b`, `c` and 2 more')
    expect(channelList([])).toBe('no message')
  })
})
