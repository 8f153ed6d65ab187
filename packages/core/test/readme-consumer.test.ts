// The consumer example of the root README.md, verbatim between the markers: keep them in sync.
// README:consumer-example:start

import { boolean, datetime, eachLike, integer, messageContract, oneOf, optional, string, uuid } from '@treaty/core'
import { test } from 'vitest'

// The consumer's real handler (in a real project it is imported from the service's code).
interface PdfRequest {
  jobId: string
  documentType: 'invoice' | 'report'
  requestedAt: string
  options?: { pageSize: 'A4' | 'Letter'; landscape: boolean }
  items: { sku: string; qty: number }[]
}
async function handlePdfRequest(request: PdfRequest, headers: { 'Correlation-Id': string }) {
  const pageSize = request.options?.pageSize ?? 'A4'
  const lines = request.items.map((item) => `${item.qty} x ${item.sku}`)
  return { correlationId: headers['Correlation-Id'], title: `${request.documentType} ${request.jobId}`, pageSize, lines }
}

const contract = messageContract({ consumer: 'pdf-worker', provider: 'pdf-api', dir: 'contracts' })

test('generates the PDF for a request', async () => {
  await contract
    .expects('a PDF generation request')
    .given('an invoice exists', { invoiceId: '42' })
    .on('pdf.requested')
    .withHeaders({ 'Correlation-Id': string('c-1') })
    .withPayload({
      jobId: uuid(),
      documentType: oneOf(['invoice', 'report']),
      requestedAt: datetime(),
      options: optional({ pageSize: oneOf(['A4', 'Letter']), landscape: boolean(false) }),
      items: eachLike({ sku: string('A-1'), qty: integer(1, { minimum: 1 }) }, { min: 1, max: 100 }),
    })
    .verify(async (message) => handlePdfRequest(message.payload, message.headers))
})
// README:consumer-example:end
