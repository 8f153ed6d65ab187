import { describe, expect, it } from 'vitest'
import type { Contract } from '../contract/types.js'
import { compile, eachLike, integer, nullable, oneOf, optional, string } from '../schema/matchers.js'
import { generateModule, typeName } from './generate.js'

const payload = compile({
  jobId: string(),
  kind: oneOf(['a', 'b']),
  lines: eachLike({ qty: integer() }),
  note: optional(nullable(string())),
})
const contract: Contract = {
  treaty: '1',
  consumer: 'pdf-api',
  provider: 'pdf-worker',
  expectations: [
    { description: 'z: a PDF was generated', channel: 'pdf.generated', providerStates: [], payload },
    {
      description: 'a failure',
      messageName: 'PdfFailed',
      channel: "pdf.failed's",
      providerStates: [],
      payload: { schema: { type: 'object', required: ['reason'], properties: { reason: { type: 'string' } } }, example: { reason: 'x' } },
      headers: { schema: { type: 'object', properties: { 'Correlation-Id': { type: 'string' } } }, example: {} },
    },
  ],
}

describe('generateModule', () => {
  it('emits payload and header types per expectation, named from message name or description', async () => {
    const { fileName, text } = await generateModule(contract)
    expect(fileName).toBe('pdf-api--pdf-worker.ts')
    expect(text).toContain('export interface PdfFailedPayload {\n  reason: string\n}')
    expect(text).toContain("export interface PdfFailedHeaders {\n  'Correlation-Id'?: string\n}")
    expect(text).toContain("export const PdfFailedChannel = 'pdf.failed\\'s'")
    expect(text).toContain('export interface ZAPdfWasGeneratedPayload {')
    expect(text).toContain("kind: 'a' | 'b'")
    expect(text).toContain('note?: string | null')
    expect(text).toMatch(/\/\/ Contract hash: [0-9a-f]{64}/)
  })

  it('is byte-identical across runs and expectation order', async () => {
    const reversed = { ...contract, expectations: [...contract.expectations].reverse() }
    expect((await generateModule(reversed)).text).toBe((await generateModule(contract)).text)
  })

  it('makes names valid identifiers', () => {
    expect(typeName('a PDF generation request')).toBe('APdfGenerationRequest')
    expect(typeName('3 pages')).toBe('Message3Pages')
    expect(typeName('!!!')).toBe('Message')
  })
})
