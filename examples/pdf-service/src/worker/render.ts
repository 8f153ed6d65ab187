/**
 * Renders a job as a real PDF with pdf-lib. Deterministic: the same request gives the same bytes
 * (dates come from the request, no random ids), so a redelivered message reproduces the same
 * sha256. The standard fonts only encode WinAnsi: a title outside it (an emoji, say) cannot be
 * rendered and makes the message a poison message.
 */
import { createHash } from 'node:crypto'
import { PDFDocument, type PDFFont, rgb, StandardFonts } from 'pdf-lib'
import type { PdfRequested } from '../messages/pdf-requested.js'

export interface RenderedPdf {
  content: Uint8Array
  pages: number
  bytes: number
  sha256: string
}

const PAGE: [number, number] = [595.28, 841.89] // A4 in points
const MARGIN = 50
const LINE = 16
export const ITEMS_PER_PAGE = 40

export function pageCountFor(itemCount: number): number {
  return Math.max(1, Math.ceil(itemCount / ITEMS_PER_PAGE))
}

const money = (value: number) => value.toFixed(2)

export async function renderPdf(request: PdfRequested): Promise<RenderedPdf> {
  const requestedAt = new Date(request.requestedAt)
  const doc = await PDFDocument.create({ updateMetadata: false })
  doc.setTitle(request.title)
  doc.setSubject(`${request.documentType} ${request.jobId}`)
  doc.setProducer('treaty pdf-service example')
  doc.setCreationDate(requestedAt)
  doc.setModificationDate(requestedAt)
  const font = await doc.embedFont(StandardFonts.Helvetica)
  const bold = await doc.embedFont(StandardFonts.HelveticaBold)
  const pageCount = pageCountFor(request.items.length)
  const total = request.items.reduce((sum, item) => sum + item.qty * item.price, 0)

  for (let pageIndex = 0; pageIndex < pageCount; pageIndex++) {
    const page = doc.addPage(PAGE)
    let y = PAGE[1] - MARGIN
    const text = (value: string, x: number, size = 10, face: PDFFont = font) =>
      page.drawText(value, { x, y, size, font: face, color: rgb(0, 0, 0) })
    text(request.title, MARGIN, 18, bold)
    y -= 24
    text(`${request.documentType.toUpperCase()}  ·  job ${request.jobId}  ·  ${request.requestedAt}`, MARGIN, 9)
    y -= 28
    for (const [label, x] of [
      ['SKU', MARGIN],
      ['Qty', 300],
      ['Price', 380],
      ['Amount', 470],
    ] as const)
      text(label, x, 10, bold)
    y -= LINE
    for (const item of request.items.slice(pageIndex * ITEMS_PER_PAGE, (pageIndex + 1) * ITEMS_PER_PAGE)) {
      text(item.sku, MARGIN)
      text(String(item.qty), 300)
      text(money(item.price), 380)
      text(money(item.qty * item.price), 470)
      y -= LINE
    }
    if (pageIndex === pageCount - 1) {
      y -= 8
      text(request.documentType === 'invoice' ? `Total due: ${money(total)}` : `Total: ${money(total)}`, 380, 11, bold)
    }
    y = MARGIN
    text(`page ${pageIndex + 1} of ${pageCount}`, PAGE[0] / 2 - 25, 8)
  }
  const content = await doc.save({ useObjectStreams: false })
  return { content, pages: pageCount, bytes: content.byteLength, sha256: createHash('sha256').update(content).digest('hex') }
}
