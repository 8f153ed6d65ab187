import { createHash } from 'node:crypto'
import { PDFDocument } from 'pdf-lib'
import { describe, expect, test } from 'vitest'
import type { PdfRequested } from '../messages/pdf-requested.js'
import { ITEMS_PER_PAGE, pageCountFor, renderPdf } from './render.js'

const request = (items: number, title = 'Invoice 42'): PdfRequested => ({
  jobId: '7b0f3a5e-4a8e-4c53-9d50-2f0b8f8f5d11',
  documentType: 'invoice',
  title,
  requestedAt: '2026-01-02T03:04:05.000Z',
  items: Array.from({ length: items }, (_, index) => ({ sku: `SKU-${index}`, qty: index + 1, price: 2.5 })),
})

describe('renderPdf', () => {
  test('renders a real PDF whose page count, size and sha256 it reports truthfully', async () => {
    const pdf = await renderPdf(request(ITEMS_PER_PAGE * 2 + 1))
    expect(Buffer.from(pdf.content.subarray(0, 5)).toString('latin1')).toBe('%PDF-')
    const parsed = await PDFDocument.load(pdf.content)
    expect(parsed.getPageCount()).toBe(3)
    expect(pdf.pages).toBe(3)
    expect(pdf.bytes).toBe(pdf.content.byteLength)
    expect(pdf.sha256).toBe(createHash('sha256').update(pdf.content).digest('hex'))
    expect(parsed.getTitle()).toBe('Invoice 42')
  })

  test('is deterministic: a redelivered request reproduces the same bytes', async () => {
    const [first, second] = await Promise.all([renderPdf(request(3)), renderPdf(request(3))])
    expect(second.sha256).toBe(first.sha256)
  })

  test('cannot render text outside WinAnsi with the standard fonts (the poison case)', async () => {
    await expect(renderPdf(request(1, 'Snowman \u2603'))).rejects.toThrow(/WinAnsi cannot encode/)
  })

  test('pageCountFor', () => {
    expect([1, ITEMS_PER_PAGE, ITEMS_PER_PAGE + 1].map(pageCountFor)).toEqual([1, 1, 2])
  })
})
