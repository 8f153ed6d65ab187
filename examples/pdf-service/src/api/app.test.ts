import pino from 'pino'
import { describe, expect, test } from 'vitest'
import type { PdfJob } from '../messages/pdf-requested.js'
import { buildApi } from './app.js'
import { handlePdfGenerated } from './handle-pdf-generated.js'
import { memoryJobStore } from './job-store.js'
import { Metrics } from './metrics.js'

const log = pino({ level: 'silent' })
const JOB_ID = '7b0f3a5e-4a8e-4c53-9d50-2f0b8f8f5d11'

function api(publish: (job: PdfJob, correlationId: string) => Promise<void> = async () => undefined) {
  const jobs = memoryJobStore()
  const published: { job: PdfJob; correlationId: string }[] = []
  const app = buildApi({
    jobs,
    log,
    metrics: new Metrics(),
    newId: () => JOB_ID,
    now: () => new Date('2026-01-01T00:00:00Z'),
    async publishRequest(job, correlationId) {
      await publish(job, correlationId)
      published.push({ job, correlationId })
    },
    isReady: async () => ({ ready: true, checks: {} }),
  })
  return { app, jobs, published }
}

const body = { documentType: 'invoice', title: 'T', items: [{ sku: 'A', qty: 1, price: 2 }] }

describe('POST /pdfs', () => {
  test('stores the job, publishes it with the caller’s correlation id, answers 202 with the job id', async () => {
    const { app, jobs, published } = api()
    const response = await app.inject({ method: 'POST', url: '/pdfs', payload: body, headers: { 'x-correlation-id': 'corr-7' } })
    expect(response.statusCode).toBe(202)
    expect(response.json()).toEqual({ jobId: JOB_ID })
    expect(response.headers['x-correlation-id']).toBe('corr-7')
    expect(published).toEqual([{ job: expect.objectContaining({ id: JOB_ID, title: 'T' }), correlationId: 'corr-7' }])
    expect(await jobs.get(JOB_ID)).toMatchObject({ status: 'queued', correlationId: 'corr-7' })
  })

  test('creates a correlation id when the caller sends none', async () => {
    const { app } = api()
    const response = await app.inject({ method: 'POST', url: '/pdfs', payload: body })
    expect(response.headers['x-correlation-id']).toMatch(/^[0-9a-f-]{36}$/)
  })

  test.each([
    [{ ...body, items: [] }, 'body/items must NOT have fewer than 1 items'],
    [{ ...body, items: [{ sku: 'A', qty: 0, price: 1 }] }, 'body/items/0/qty must be >= 1'],
    [{ ...body, documentType: 'memo' }, 'body/documentType must be equal to one of the allowed values'],
    [{ documentType: 'invoice', items: body.items }, "body must have required property 'title'"],
  ])('rejects an invalid request with a 400 that names the field (%#)', async (payload, message) => {
    const { app, published } = api()
    const response = await app.inject({ method: 'POST', url: '/pdfs', payload })
    expect(response.statusCode).toBe(400)
    expect(response.json()).toMatchObject({ code: 'PDF_REQUEST_INVALID', message })
    expect(published).toEqual([])
  })

  test('answers 503 and marks the job failed when the request cannot be enqueued', async () => {
    const { app, jobs } = api(async () => {
      throw new Error('no responders')
    })
    const response = await app.inject({ method: 'POST', url: '/pdfs', payload: body })
    expect(response.statusCode).toBe(503)
    expect(await jobs.get(JOB_ID)).toMatchObject({ status: 'failed', failureReason: 'could not enqueue: no responders' })
  })
})

describe('GET /pdfs/:id', () => {
  test('404 for an unknown job, 400 for a malformed id, the PDF once it exists', async () => {
    const { app, jobs } = api()
    expect((await app.inject({ url: `/pdfs/${JOB_ID}` })).statusCode).toBe(404)
    expect((await app.inject({ url: '/pdfs/not-a-uuid' })).statusCode).toBe(400)
    await app.inject({ method: 'POST', url: '/pdfs', payload: body })
    expect((await app.inject({ url: `/pdfs/${JOB_ID}/file` })).statusCode).toBe(404)
    jobs.files.set(JOB_ID, new TextEncoder().encode('%PDF-1.7 ...'))
    const file = await app.inject({ url: `/pdfs/${JOB_ID}/file` })
    expect(file.headers['content-type']).toBe('application/pdf')
    expect(file.body).toBe('%PDF-1.7 ...')
  })
})

test('handlePdfGenerated marks the job done once; a duplicate event changes nothing', async () => {
  const jobs = memoryJobStore()
  await jobs.create({ id: JOB_ID, documentType: 'invoice', title: 'T', items: [], createdAt: new Date() }, 'c')
  const message = { payload: { jobId: JOB_ID, pages: 1, bytes: 10, sha256: 'ff' }, headers: { 'Correlation-Id': 'c' } }
  expect(await handlePdfGenerated(message, { jobs, log })).toMatchObject({ jobId: JOB_ID, transitioned: true })
  expect(await handlePdfGenerated(message, { jobs, log })).toMatchObject({ jobId: JOB_ID, transitioned: false })
  expect(await jobs.get(JOB_ID)).toMatchObject({ status: 'done', pdf: { pages: 1, bytes: 10, sha256: 'ff' } })
})
