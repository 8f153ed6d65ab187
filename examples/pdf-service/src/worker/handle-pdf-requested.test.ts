import pino from 'pino'
import { expect, test } from 'vitest'
import { buildPdfRequested } from '../messages/pdf-requested.js'
import { handlePdfRequested } from './handle-pdf-requested.js'
import { memoryPdfStore } from './pdf-store.js'

const log = pino({ level: 'silent' })
const job = {
  id: '7b0f3a5e-4a8e-4c53-9d50-2f0b8f8f5d11',
  documentType: 'invoice' as const,
  title: 'T',
  items: [{ sku: 'A', qty: 1, price: 1 }],
  createdAt: new Date(0),
}

test('renders, stores once, and returns pdf.generated with the request’s correlation id', async () => {
  const store = memoryPdfStore()
  const message = buildPdfRequested(job, 'corr-9')
  const first = await handlePdfRequested(message, { store, log })
  expect(first.duplicate).toBe(false)
  expect(first.event.headers).toEqual({ 'Correlation-Id': 'corr-9' })
  expect(first.event.payload).toMatchObject({ jobId: job.id, pages: 1 })
  expect(first.event.payload.bytes).toBe(store.pdfs.get(job.id)!.content.byteLength)

  // A redelivery: same event, nothing rendered, nothing written.
  let rendered = 0
  const again = await handlePdfRequested(message, {
    store,
    log,
    render: async () => {
      rendered++
      throw new Error('must not render')
    },
  })
  expect(again).toMatchObject({ duplicate: true, event: first.event })
  expect(rendered).toBe(0)
  expect(store.pdfs.size).toBe(1)
})

test('a message that is not a pdf.requested fails with the field named', async () => {
  await expect(handlePdfRequested({ payload: { jobId: 'x' }, headers: {} }, { store: memoryPdfStore(), log })).rejects.toThrow(
    /documentType/,
  )
})
