// The provider side: pdf-api replays pdf-worker's contract against its real code.
// docs/verify-provider.md shows this file between the markers: keep them in sync.
// docs:verify-provider:start
import { contractTests } from '@treaty/core/vitest'
import { invoices, pdfRequested } from './pdf-api.js'

contractTests({
  provider: 'pdf-api',
  contracts: 'contracts', // the directory the consumer tests write into (or a list from readContracts)
  producers: {
    // keyed by channel; `channel#messageName` or an expectation's exact description also work
    'pdf.requested': ({ params }) => {
      const invoice = invoices.get(String(params.invoiceId))
      if (!invoice) throw new Error(`invoice ${params.invoiceId} was not set up`)
      return { payload: pdfRequested(invoice), headers: { 'Correlation-Id': 'c-1' } }
    },
  },
  states: {
    'an invoice exists': {
      setup: ({ invoiceId }) => {
        invoices.set(String(invoiceId), { id: String(invoiceId), lines: [{ sku: 'A-1', quantity: 2 }] })
      },
      teardown: ({ invoiceId }) => {
        invoices.delete(String(invoiceId))
      },
    },
  },
})
// docs:verify-provider:end
