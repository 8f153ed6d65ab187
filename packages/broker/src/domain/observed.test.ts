import { describe, expect, it } from 'vitest'
import { verified } from '../../test/support/domain-fixtures.js'
import { type CanIDeployInput, canIDeploy } from './can-i-deploy.js'
import { type ObservationFact, observedFor, observedSentence } from './observed.js'

const fact = (over: Partial<ObservationFact>): ObservationFact => ({
  environment: 'production',
  production: true,
  provider: 'pdf-api',
  providerVersion: '2.0.0',
  contentHash: 'h1',
  consumer: 'pdf-worker',
  consumerVersion: '1.4.0',
  channel: 'pdf.requested',
  messages: 100,
  mismatches: 0,
  pointers: [],
  lastSeenAt: new Date('2026-01-01T00:00:00Z'),
  ...over,
})

describe('observedFor', () => {
  it('is undefined when the provider version was never observed against the content', () => {
    expect(observedFor([fact({})], 'pdf-api', '9.9.9', 'h1', 'production')).toBeUndefined()
    expect(observedFor([fact({})], 'pdf-api', '2.0.0', 'h2', 'production')).toBeUndefined()
  })

  it('has no effect when every observed message was accepted', () => {
    expect(observedFor([fact({}), fact({ messages: 5 })], 'pdf-api', '2.0.0', 'h1', 'production')).toMatchObject({
      messages: 105,
      mismatches: 0,
      effect: 'none',
      rejected: [],
    })
  })

  it('blocks on mismatches observed in production, whatever the target environment', () => {
    const s = observedFor(
      [fact({ mismatches: 3, pointers: [{ pointer: 'payload/items/0/qty', expected: 'present', count: 3 }] })],
      'pdf-api',
      '2.0.0',
      'h1',
      'staging',
    )!
    expect(s.effect).toBe('block')
    expect(observedSentence('pdf-worker 1.4.0', 'pdf-api 2.0.0', s)).toBe(
      'observed: live traffic of pdf-api 2.0.0 in production would break pdf-worker 1.4.0: 3 of 100 messages on `pdf.requested` (payload/items/0/qty)',
    )
  })

  it('blocks on mismatches observed in the target environment even when it is not production', () => {
    const s = observedFor([fact({ environment: 'staging', production: false, mismatches: 1 })], 'pdf-api', '2.0.0', 'h1', 'staging')!
    expect(s.effect).toBe('block')
  })

  it('only warns on mismatches observed in another non-production environment', () => {
    const s = observedFor([fact({ environment: 'staging', production: false, mismatches: 1 })], 'pdf-api', '2.0.0', 'h1', 'production')!
    expect(s.effect).toBe('warn')
    expect(observedSentence('pdf-worker 1.4.0', 'pdf-api 2.0.0', s)).toMatch(/^warning: observed/)
  })

  it('adds up runs and keeps the most frequent pointers first', () => {
    const s = observedFor(
      [
        fact({ mismatches: 1, pointers: [{ pointer: 'a', expected: '', count: 1 }] }),
        fact({ mismatches: 5, pointers: [{ pointer: 'b', expected: '', count: 5 }] }),
      ],
      'pdf-api',
      '2.0.0',
      'h1',
      undefined,
    )!
    expect(s).toMatchObject({ messages: 200, mismatches: 6, rejected: [{ channel: 'pdf.requested', pointers: ['b', 'a'] }] })
  })
})

describe('can-i-deploy with observed evidence', () => {
  const input = (observations: ObservationFact[]): CanIDeployInput => ({
    service: 'pdf-api',
    version: '2.0.0',
    environment: 'production',
    consumes: [],
    consumedBy: [{ consumer: 'pdf-worker', consumerVersion: '1.4.0', provider: 'pdf-api', contentHash: 'h1', channels: ['pdf.requested'] }],
    deployed: [{ service: 'pdf-worker', version: '1.4.0' }],
    verifications: [verified({ contentHash: 'h1', providerVersion: '2.0.0' })],
    observations,
  })

  it('blocks a replay-verified provider version whose production traffic the consumer would reject', () => {
    const result = canIDeploy(input([fact({ mismatches: 2 })]))
    expect(result.deployable).toBe(false)
    expect(result.rows).toMatchObject([{ status: 'verified', mode: 'replay', observed: { effect: 'block', mismatches: 2 } }])
    expect(result.reasons[0]).toMatch(/^pdf-api 2.0.0 cannot be deployed to production: live traffic was observed/)
  })

  it('stays deployable, with a warning, when the mismatches were seen only in staging', () => {
    const result = canIDeploy(input([fact({ environment: 'staging', production: false, mismatches: 2 })]))
    expect(result.deployable).toBe(true)
    expect(result.reasons.some((r) => r.startsWith('warning: observed'))).toBe(true)
  })

  it('never verifies an unverified row from clean traffic alone', () => {
    const result = canIDeploy({ ...input([fact({})]), verifications: [] })
    expect(result.deployable).toBe(false)
    expect(result.rows).toMatchObject([{ status: 'unverified', observed: { effect: 'none', messages: 100 } }])
  })
})
