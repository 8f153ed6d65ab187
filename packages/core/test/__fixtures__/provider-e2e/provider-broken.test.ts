// A deliberately broken producer: it sends `quantity` where the contract says `qty`. Must fail.
import { contractTests } from '@treaty/core/vitest'
import { pdfRequestedRenamed } from './pdf-api.js'

contractTests({
  provider: 'pdf-api',
  contracts: 'contracts',
  producers: {
    'pdf.requested': () => ({
      payload: pdfRequestedRenamed({ id: '42', lines: [{ sku: 'A-1', quantity: 2 }] }),
      headers: { 'Correlation-Id': 'c-1' },
    }),
  },
  states: { 'an invoice exists': () => {} },
})
