import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { writeContract } from '../contract/read-write.js'
import { ajvSource } from '../schema/engine.js'
import { compile, datetime, eachLike, integer, oneOf, string, uuid } from '../schema/matchers.js'
import { verifyContracts } from './verify.js'

const payload = compile({
  jobId: uuid(),
  documentType: oneOf(['invoice', 'report']),
  requestedAt: datetime(),
  items: eachLike({ sku: string('A-1'), qty: integer(1, { minimum: 1 }) }, { min: 1 }),
})
const message = {
  jobId: '7f0c2a4e-3b1d-4c5e-9f6a-8b7c6d5e4f3a',
  documentType: 'report',
  requestedAt: '2024-01-15T10:30:00.000Z',
  items: [{ sku: 'B-2', qty: 3 }],
}

// One test file, one module graph: nothing before these tests has loaded ajv in it.
describe('verifying contracts from disk whose schemas the matchers built', () => {
  it('reads, checks and verifies them without compiling a schema; a mismatch is still explained in full', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'treaty-verify-no-ajv-'))
    try {
      await writeContract(dir, {
        treaty: '1',
        consumer: 'pdf-worker',
        provider: 'pdf-api',
        expectations: [
          { description: 'a PDF is requested', channel: 'pdf.requested', providerStates: [{ name: 'an invoice exists' }], payload },
        ],
      })
      const states = { 'an invoice exists': () => {} }
      const passed = await verifyContracts({
        provider: 'pdf-api',
        contracts: dir,
        states,
        producers: { 'pdf.requested': () => ({ payload: message }) },
      })
      expect(passed.success).toBe(true)
      // A compile is ~4 ms per schema (bench/verify): the first run of `treaty verify` pays none for these.
      expect(ajvSource()).toBeUndefined()

      const failed = await verifyContracts({
        provider: 'pdf-api',
        contracts: dir,
        states,
        producers: { 'pdf.requested': () => ({ payload: { ...message, items: [{ sku: 'B-2', qty: 0 }] } }) },
      })
      expect(failed.success).toBe(false)
      expect(failed.contracts[0]!.expectations[0]!.mismatches).toMatchObject([
        { kind: 'schema', part: 'payload', pointer: '/items/0/qty', keyword: 'minimum', actual: '0' },
      ])
    } finally {
      await rm(dir, { recursive: true, force: true })
    }
  })
})
