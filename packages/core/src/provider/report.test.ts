import { describe, expect, it } from 'vitest'
import type { Contract } from '../contract/types.js'
import { compile, eachLike, integer, oneOf, string } from '../schema/matchers.js'
import { formatExpectationResult, formatReport } from './report.js'
import { verifyContracts } from './verify.js'

const request = {
  description: 'a PDF generation request',
  channel: 'pdf.requested',
  providerStates: [],
  payload: compile({ pageSize: oneOf(['A4', 'Letter']), items: eachLike({ sku: string('A-1'), qty: integer(1, { minimum: 1 }) }) }),
  headers: compile({ 'Correlation-Id': string('c-1') }),
}
const contract = (consumer: string, expectations = [request]): Contract => ({ treaty: '1', consumer, provider: 'pdf-api', expectations })

describe('the human report', () => {
  it('reads like a compiler error: where, what was expected, what was found', async () => {
    const report = await verifyContracts({
      provider: 'pdf-api',
      contracts: [contract('pdf-worker')],
      producers: { 'pdf.requested': () => ({ payload: { pageSize: 'A5', items: [{ sku: 'A-1', qty: 0 }] } }) },
    })
    const result = report.contracts[0]!.expectations[0]!
    expect(formatExpectationResult(report.contracts[0]!, result)).toBe(
      [
        '✗ pdf-worker → pdf-api › a PDF generation request (pdf.requested): 3 mismatches',
        '',
        '  payload/pageSize',
        '    expected  one of "A4", "Letter"',
        '    found     "A5"',
        '',
        '  payload/items/0/qty',
        '    expected  integer >= 1',
        '    found     0',
        '',
        '  headers/Correlation-Id',
        '    missing   required property `Correlation-Id`',
      ].join('\n'),
    )
  })

  it('lists every expectation, details each failure, and ends with the verdict', async () => {
    const ok = { ...request, description: 'ok', channel: 'ok' }
    const report = await verifyContracts({
      provider: 'pdf-api',
      contracts: [
        contract('pdf-worker', [request, ok]),
        { contract: contract('billing', [{ ...request, channel: 'nope' }]), pending: true },
      ],
      producers: {
        'pdf.requested': () => {
          throw new Error('database down')
        },
        ok: () => ({ payload: { pageSize: 'A4', items: [{ sku: 'A-1', qty: 1 }] }, headers: { 'Correlation-Id': 'c' } }),
      },
    })
    const text = formatReport(report)
    expect(text).toMatch(/^Verifying pdf-api against 2 contracts\n/)
    expect(text).toMatch(/\n {2}✗ a PDF generation request \(pdf\.requested\) {2}[\d.]+ ms\n {2}✓ ok \(ok\) /)
    expect(text).toContain('billing → pdf-api (pending)\n  ! a PDF generation request (nope)')
    expect(text).toContain('  the producer threw\n    Error: database down\n')
    expect(text).toContain("  no producer for channel `nope` (known: `ok`, `pdf.requested`)\n    fix       add producers: { 'nope'")
    expect(text).toMatch(/\n1 passed, 1 failed, 1 pending · [\d.]+ ms\nverification failed\n$/)
  })

  it('tells two contracts of one consumer apart by the consumer version and branch', async () => {
    const ok = { ...request, description: 'ok', channel: 'ok' }
    const producers = { ok: () => ({ payload: { pageSize: 'A4', items: [{ sku: 'A-1', qty: 1 }] }, headers: { 'Correlation-Id': 'c' } }) }
    const report = await verifyContracts({
      provider: 'pdf-api',
      contracts: [
        { contract: contract('shipping', [ok]), consumerVersion: '1.4.0', consumerBranch: 'main' },
        { contract: contract('shipping', [{ ...ok, description: 'ok v2' }]), consumerVersion: '1.3.2', consumerBranch: 'release' },
      ],
      producers,
    })
    const text = formatReport(report)
    expect(text).toContain('\nshipping 1.4.0 (main) → pdf-api\n')
    expect(text).toContain('\nshipping 1.3.2 (release) → pdf-api\n')
  })

  it('says why an empty run failed', async () => {
    const report = await verifyContracts({ provider: 'pdf-api', contracts: [{ ...contract('x'), provider: 'billing' }], producers: {} })
    const text = formatReport(report)
    expect(text).toContain('(skipped 1 addressed to other providers: billing)')
    expect(text).toContain('no expectations verified: no contract is addressed to pdf-api')
    expect(text).toMatch(/verification failed\n$/)
  })
})
