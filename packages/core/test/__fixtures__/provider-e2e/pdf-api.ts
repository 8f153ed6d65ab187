// The provider's real code, as far as these tests need it: an invoice store and the message it publishes.
import { randomUUID } from 'node:crypto'

export interface Invoice {
  id: string
  lines: { sku: string; quantity: number }[]
}

export const invoices = new Map<string, Invoice>()

/** The `pdf.requested` message pdf-api publishes when an invoice needs a PDF. */
export function pdfRequested(invoice: Invoice) {
  return {
    jobId: randomUUID(),
    documentType: 'invoice' as const,
    requestedAt: new Date().toISOString(),
    items: invoice.lines.map((line) => ({ sku: line.sku, qty: line.quantity })),
  }
}

/** The same message after a careless refactoring: `qty` renamed to `quantity`. */
export function pdfRequestedRenamed(invoice: Invoice) {
  return { ...pdfRequested(invoice), items: invoice.lines.map((line) => ({ sku: line.sku, quantity: line.quantity })) }
}
