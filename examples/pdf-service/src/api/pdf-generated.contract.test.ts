// pdf-api as a consumer of pdf.generated: what it relies on to mark a job done, proven against its
// real handler and job store semantics.
import { integer, messageContract, regex, string, uuid } from '@treaty/core'
import { test } from 'vitest'
import { CONTRACTS_DIR } from '../contract/paths.js'
import { createLogger } from '../log.js'
import { handlePdfGenerated } from './handle-pdf-generated.js'
import { memoryJobStore } from './job-store.js'

const contract = messageContract({ consumer: 'pdf-api', provider: 'pdf-worker', dir: CONTRACTS_DIR })
const log = createLogger('pdf-api', { level: 'silent' })

test('pdf-api marks the job done for every event pdf-worker may send', async () => {
  await contract
    .expects('a PDF was generated')
    .on('pdf.generated')
    .withHeaders({ 'Correlation-Id': string('c-1') })
    .withPayload({
      jobId: uuid(),
      pages: integer(1, { minimum: 1 }),
      bytes: integer(1024, { minimum: 1 }),
      sha256: regex('^[0-9a-f]{64}$', 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855'),
    })
    .verify(async (message) => {
      const jobs = memoryJobStore()
      await jobs.create(
        { id: message.payload.jobId, documentType: 'invoice', title: 't', items: [{ sku: 'A', qty: 1, price: 1 }], createdAt: new Date() },
        message.headers['Correlation-Id'],
      )
      const { transitioned } = await handlePdfGenerated(message, { jobs, log })
      if (!transitioned) throw new Error('the queued job was not marked done')
    })
})
