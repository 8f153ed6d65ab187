import { describe, expect, it } from 'vitest'
import { verified } from '../../test/support/domain-fixtures.js'
import { buildMatrix } from './matrix.js'

describe('buildMatrix', () => {
  const t = (day: number) => new Date(`2026-01-0${day}T00:00:00Z`)

  it('as a consumer: one row per provider version that verified the content (its latest result), newest first', () => {
    const rows = buildMatrix({
      service: 'pdf-worker',
      version: '1.4.0',
      consumes: [{ consumer: 'pdf-worker', consumerVersion: '1.4.0', provider: 'pdf-api', contentHash: 'h', channels: [] }],
      consumedBy: [],
      verifications: [
        verified({ contentHash: 'h', providerVersion: '2.3.1', success: false, verifiedAt: t(1) }),
        verified({ contentHash: 'h', providerVersion: '2.4.0', success: true, verifiedAt: t(2) }),
        verified({ contentHash: 'h', providerVersion: '2.3.1', success: true, verifiedAt: t(3) }),
      ],
    })
    expect(rows.map((r) => [r.providerVersion, r.verification?.success, r.verification?.verifiedAt])).toEqual([
      ['2.3.1', true, t(3)],
      ['2.4.0', true, t(2)],
    ])
  })

  it('as a consumer: a contract nobody verified is one row without a provider version', () => {
    const rows = buildMatrix({
      service: 'pdf-worker',
      version: '1.4.0',
      consumes: [{ consumer: 'pdf-worker', consumerVersion: '1.4.0', provider: 'pdf-api', contentHash: 'h', channels: [] }],
      consumedBy: [],
      verifications: [],
    })
    expect(rows).toEqual([
      {
        consumer: 'pdf-worker',
        consumerVersion: '1.4.0',
        provider: 'pdf-api',
        contentHash: 'h',
        providerVersion: null,
        verification: null,
      },
    ])
  })

  it('as a provider: a verification answers for every consumer version with that content', () => {
    const rows = buildMatrix({
      service: 'pdf-api',
      version: '2.4.0',
      consumes: [],
      consumedBy: [
        { consumer: 'pdf-worker', consumerVersion: '1.4.0', provider: 'pdf-api', contentHash: 'h', channels: [] },
        { consumer: 'pdf-worker', consumerVersion: '1.3.0', provider: 'pdf-api', contentHash: 'h', channels: [] },
      ],
      verifications: [verified({ contentHash: 'h', providerVersion: '2.4.0' }), verified({ contentHash: 'h', providerVersion: '2.3.0' })],
    })
    expect(rows.map((r) => [r.consumerVersion, r.providerVersion])).toEqual([
      ['1.4.0', '2.4.0'],
      ['1.3.0', '2.4.0'],
    ])
  })
})
