/**
 * pdf-api as a provider: the `pdf.requested` it really publishes. The producer drives the api's real
 * HTTP path (validation, job creation) with in-memory stores and captures what it hands to NATS,
 * built by the same `buildPdfRequested` the NATS publisher uses.
 */
import type { Producers, StateHandlers } from '@treaty/core'
import { buildApi } from '../api/app.js'
import { memoryJobStore } from '../api/job-store.js'
import { Metrics } from '../api/metrics.js'
import { createLogger } from '../log.js'
import { buildPdfRequested, type PdfRequestedMessage } from '../messages/pdf-requested.js'

const silent = createLogger('pdf-api', { level: 'silent' })
let nextTitle = 'Invoice 42'

/** POST /pdfs as a client would, returning the message the api publishes for that job. */
export async function publishedRequest(title: string, correlationId: string): Promise<PdfRequestedMessage> {
  let published: PdfRequestedMessage | undefined
  const app = await buildApi({
    jobs: memoryJobStore(),
    publishRequest: async (job, cid) => {
      published = buildPdfRequested(job, cid)
    },
    log: silent,
    metrics: new Metrics(),
    isReady: async () => ({ ready: true, checks: {} }),
    now: () => new Date('2024-01-15T10:30:00.000Z'),
  })
  try {
    const res = await app.inject({
      method: 'POST',
      url: '/pdfs',
      headers: { 'x-correlation-id': correlationId },
      payload: { documentType: 'invoice', title, items: [{ sku: 'A-1', qty: 2, price: 9.5 }] },
    })
    if (res.statusCode !== 202 || !published) throw new Error(`POST /pdfs answered ${res.statusCode}: ${res.body}`)
    return published
  } finally {
    await app.close()
  }
}

export const states: StateHandlers = {
  'an invoice was requested': {
    setup: (params) => {
      nextTitle = String(params.title ?? 'Invoice 42')
    },
    teardown: () => {
      nextTitle = 'Invoice 42'
    },
  },
}

export const producers = {
  'pdf.requested': () => publishedRequest(nextTitle, 'c-contract-1'),
} satisfies Producers
