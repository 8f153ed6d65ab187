/**
 * pdf-worker as a provider: the `pdf.generated` it really publishes. The producer runs the worker's
 * real handler on a real request: it renders the PDF and returns the event it would announce.
 */
import type { Producers } from '@treaty/core'
import { createLogger } from '../log.js'
import { buildPdfRequested } from '../messages/pdf-requested.js'
import { handlePdfRequested } from '../worker/handle-pdf-requested.js'
import { memoryPdfStore } from '../worker/pdf-store.js'

const silent = createLogger('pdf-worker', { level: 'silent' })

export async function generatedEvent(jobId: string) {
  const request = buildPdfRequested(
    {
      id: jobId,
      documentType: 'report',
      title: 'Quarterly report',
      items: [{ sku: 'R-1', qty: 3, price: 12 }],
      createdAt: new Date('2024-01-15T10:30:00.000Z'),
    },
    'c-contract-2',
  )
  const outcome = await handlePdfRequested(request, { store: memoryPdfStore(), log: silent })
  return outcome.event
}

export const producers = {
  'pdf.generated': () => generatedEvent('5b0c2a4e-3b1d-4c5e-9f6a-8b7c6d5e4f3a'),
} satisfies Producers
