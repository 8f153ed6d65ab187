import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { ErrorCodes } from '../errors.js'
import { ajvSource } from '../schema/engine.js'
import {
  boolean,
  date,
  datetime,
  decimal,
  eachLike,
  integer,
  like,
  nullable,
  oneOf,
  optional,
  regex,
  string,
  uuid,
} from '../schema/matchers.js'
import { messageContract } from './message-contract.js'

// One test file, one module graph: nothing before these tests has loaded ajv in it.
describe('a consumer test built from matchers', () => {
  it('proves and writes its expectations without loading ajv', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'treaty-no-ajv-'))
    try {
      const contract = messageContract({ consumer: 'pdf-worker', provider: 'pdf-api', dir })
      const result = await contract
        .expects('every matcher kind')
        .on('pdf.requested')
        .withHeaders({ 'Correlation-Id': string('c-1', { minLength: 1 }) })
        .withPayload({
          jobId: uuid(),
          kind: oneOf(['invoice', 'report']),
          at: datetime(),
          day: date(),
          code: regex('^[A-Z]-\\d+$', 'A-1'),
          copies: integer(1, { minimum: 1, maximum: 5 }),
          price: decimal(9.5, { exclusiveMinimum: 0, multipleOf: 0.5 }),
          rush: boolean(false),
          note: optional(nullable(string('n'))),
          extra: like({ tags: ['a'] }),
          items: eachLike({ sku: string('A-1'), qty: integer(1) }, { min: 1, max: 3 }),
        })
        .verify(() => {})
      // A failing handler is told apart from a passing one without ajv too.
      const failed = contract
        .expects('a handler that rejects an empty sku')
        .on('pdf.requested')
        .withPayload({ sku: string('A-1') })
        .verify((m) => {
          if (m.payload.sku === '') throw new Error('empty sku')
        })
      await expect(failed).rejects.toMatchObject({ code: ErrorCodes.HANDLER_FAILED })
      await contract.flush()

      expect(ajvSource()).toBeUndefined()
      expect(result.messagesTried).toBeGreaterThan(10)
      // Read as text: reading a contract validates it, which is ajv's job.
      const written = JSON.parse(await readFile(contract.contractPath, 'utf8')) as { expectations: { description: string }[] }
      expect(written.expectations.map((e) => e.description)).toEqual(['every matcher kind'])
    } finally {
      await rm(dir, { recursive: true, force: true })
    }
  })
})
