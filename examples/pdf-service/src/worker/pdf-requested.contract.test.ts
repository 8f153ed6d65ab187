// pdf-worker as a consumer of pdf.requested: what it relies on, proven against its real handler
// (which renders a real PDF) for the example and every variant the contract allows.
import { datetime, decimal, eachLike, integer, messageContract, oneOf, string, uuid } from '@treaty/core'
import { test } from 'vitest'
import { CONTRACTS_DIR } from '../contract/paths.js'
import { createLogger } from '../log.js'
import { handlePdfRequested } from './handle-pdf-requested.js'
import { memoryPdfStore } from './pdf-store.js'

const contract = messageContract({ consumer: 'pdf-worker', provider: 'pdf-api', dir: CONTRACTS_DIR, maxVariants: 20 })
const log = createLogger('pdf-worker', { level: 'silent' })

test('pdf-worker renders the PDF of every request pdf-api may send', async () => {
  await contract
    .expects('a PDF generation request')
    .given('an invoice was requested', { title: 'Invoice 42' })
    .on('pdf.requested')
    .withHeaders({ 'Correlation-Id': string('c-1') })
    .withPayload({
      jobId: uuid(),
      documentType: oneOf(['invoice', 'report']),
      title: string('Invoice 42', { minLength: 1, maxLength: 200 }),
      items: eachLike(
        { sku: string('A-1', { minLength: 1 }), qty: integer(2, { minimum: 1 }), price: decimal(9.5, { minimum: 0 }) },
        { min: 1, max: 50 },
      ),
      requestedAt: datetime(),
    })
    .verify(async (message) => {
      const { event } = await handlePdfRequested(message, { store: memoryPdfStore(), log })
      if (event.payload.pages < 1) throw new Error('rendered no page')
    })
})
