// The same broken producer against the same contract, flagged pending: reported, but the run passes.
import { readContracts } from '@treaty/core'
import { contractTests } from '@treaty/core/vitest'
import { pdfRequestedRenamed } from './pdf-api.js'

contractTests({
  provider: 'pdf-api',
  contracts: readContracts('contracts').then((contracts) => contracts.map((contract) => ({ contract, pending: true }))),
  producers: {
    'pdf.requested': () => ({
      payload: pdfRequestedRenamed({ id: '42', lines: [{ sku: 'A-1', quantity: 2 }] }),
      headers: { 'Correlation-Id': 'c-1' },
    }),
  },
  states: { 'an invoice exists': () => {} },
})
