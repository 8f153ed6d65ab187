import { describe, expect, test } from 'vitest'
import { correlationIdFrom, MessageInvalidError } from './headers.js'
import { buildPdfGenerated, parsePdfGenerated, pdfGeneratedMsgId } from './pdf-generated.js'
import { buildPdfRequested, parsePdfRequested, pdfRequestedMsgId } from './pdf-requested.js'

const job = {
  id: '7b0f3a5e-4a8e-4c53-9d50-2f0b8f8f5d11',
  documentType: 'report' as const,
  title: 'Q3',
  items: [{ sku: 'A-1', qty: 2, price: 3.5 }],
  createdAt: new Date('2026-01-02T03:04:05.000Z'),
}

describe('pdf.requested', () => {
  test('is built from the stored job, with the correlation id as its header', () => {
    expect(buildPdfRequested(job, 'corr-1')).toEqual({
      payload: {
        jobId: job.id,
        documentType: 'report',
        title: 'Q3',
        items: [{ sku: 'A-1', qty: 2, price: 3.5 }],
        requestedAt: '2026-01-02T03:04:05.000Z',
      },
      headers: { 'Correlation-Id': 'corr-1' },
    })
    expect(pdfRequestedMsgId(job.id)).toBe(job.id)
  })

  test('round-trips through the reader, which ignores fields it does not know', () => {
    const { payload } = buildPdfRequested(job, 'corr-1')
    expect(parsePdfRequested(JSON.parse(JSON.stringify({ ...payload, extra: true })))).toEqual(payload)
  })

  test('the reader names the field that is wrong', () => {
    const { payload } = buildPdfRequested(job, 'c')
    expect(() => parsePdfRequested({ ...payload, items: [{ sku: 'A', qty: 0, price: 1 }] })).toThrow(
      new MessageInvalidError('pdf.requested', 'items[0].qty', 'must be a number >= 1'),
    )
    expect(() => parsePdfRequested({ ...payload, documentType: 'memo' })).toThrow(/documentType must be one of invoice, report/)
  })
})

describe('pdf.generated', () => {
  test('carries jobId, pages, bytes, sha256 and the correlation id', () => {
    const message = buildPdfGenerated({ jobId: job.id, pages: 2, bytes: 1234, sha256: 'ab'.repeat(32) }, 'corr-2')
    expect(message).toEqual({
      payload: { jobId: job.id, pages: 2, bytes: 1234, sha256: 'ab'.repeat(32) },
      headers: { 'Correlation-Id': 'corr-2' },
    })
    expect(parsePdfGenerated(message.payload)).toEqual(message.payload)
    expect(pdfGeneratedMsgId(job.id)).toBe(`${job.id}:generated`)
  })
})

test('correlationIdFrom keeps a sane caller id and replaces anything else', () => {
  expect(correlationIdFrom('abc-123', () => 'new')).toBe('abc-123')
  expect(correlationIdFrom('has space', () => 'new')).toBe('new')
  expect(correlationIdFrom(undefined, () => 'new')).toBe('new')
  expect(correlationIdFrom('x'.repeat(129), () => 'new')).toBe('new')
})
