// The consumer side: pdf-worker declares the message it expects from pdf-api (the README's consumer example).
import { boolean, datetime, eachLike, integer, messageContract, oneOf, optional, string, uuid } from '@treaty/core'
import { test } from 'vitest'

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
    .verify((message) => {
      if (message.payload.items.some((item) => item.qty < 1)) throw new Error('nothing to print')
    })
})
