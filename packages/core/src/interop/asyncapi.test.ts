import { mkdtemp, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { ErrorCodes } from '../errors.js'
import type { JsonSchema } from '../json/types.js'
import { checkCompatibility } from '../schema/compat/index.js'
import { validate } from '../schema/engine.js'
import { exportAsyncApi } from './asyncapi-export.js'
import { importAsyncApi } from './asyncapi-import.js'
import { parseAsyncApi } from './asyncapi-parse.js'
import type { ImportResult } from './types.js'

const fixture = (name: string) => new URL(`./__fixtures__/asyncapi/${name}`, import.meta.url).pathname

/** Every message of an import, keyed by direction, channel and name, with its schemas. */
function messages(r: ImportResult): Map<string, { payload: JsonSchema; headers: JsonSchema | undefined }> {
  const out = new Map<string, { payload: JsonSchema; headers: JsonSchema | undefined }>()
  for (const c of r.contracts) {
    for (const e of c.expectations) {
      out.set(`receive ${c.provider} ${e.channel} ${e.messageName ?? e.description}`, {
        payload: e.payload.schema,
        headers: e.headers?.schema,
      })
    }
  }
  for (const p of r.providerSchema?.producers ?? []) out.set(`send ${p.key}`, { payload: p.payload, headers: p.headers })
  return out
}

function equivalent(a: JsonSchema, b: JsonSchema): boolean {
  return checkCompatibility(a, b).compatible && checkCompatibility(b, a).compatible
}

async function roundTrip(file: string, service: string) {
  const first = await importAsyncApi(fixture(file), { service, provider: 'fallback-provider' })
  const doc = exportAsyncApi({
    service,
    contracts: first.contracts,
    ...(first.providerSchema ? { providerSchema: first.providerSchema } : {}),
  })
  const dir = await mkdtemp(join(tmpdir(), 'treaty-asyncapi-'))
  const out = join(dir, 'exported.yaml')
  // JSON is YAML: the exported document is written as JSON whatever the extension.
  await writeFile(out, JSON.stringify(doc, null, 2))
  const second = await importAsyncApi(out, { service })
  return { first, second, doc, out }
}

describe('AsyncAPI import', () => {
  it('turns a 3.0 document with multi-file $refs into contracts for its receive operations and a provider schema for its sends', async () => {
    const r = await importAsyncApi(fixture('orders-3.yaml'), { service: 'pdf-worker', provider: 'quote-client' })
    expect(r.contracts.map((c) => `${c.consumer}--${c.provider}`).sort()).toEqual(['pdf-worker--pdf-api', 'pdf-worker--quote-client'])
    const pdf = r.contracts.find((c) => c.provider === 'pdf-api')?.expectations[0]
    expect(pdf).toMatchObject({
      description: 'a PDF is requested for a tenant',
      channel: 'tenant.{tenantId}.pdf.requested',
      messageName: 'PdfRequested',
    })
    expect(pdf?.payload.example).toEqual({ documentId: 'doc-1', pageSize: 'A4', copies: 2 })
    expect(pdf?.payload.schema).toMatchObject({
      dependentRequired: { copies: ['pageSize'] },
      'x-treaty-correlation-id': '$message.header#/Correlation-Id',
    })
    expect(pdf?.headers?.example).toEqual({ 'Correlation-Id': '7f0c2a4e-3b1d-4c5e-9f6a-8b7c6d5e4f3a' })
    // draft-07 `dependencies` kept its meaning: copies without pageSize is refused.
    expect(validate(pdf?.payload.schema ?? true, { documentId: 'doc-1', copies: 1 })).not.toEqual([])
    expect(r.providerSchema?.producers.map((p) => p.key)).toEqual([
      'pdf.quote.reply#QuoteReply',
      'tenant.{tenantId}.pdf.rendered#PdfRendered',
    ])
    // The reply's tuple (`items: [..]`, `additionalItems: false`) reads as 2020-12 prefixItems.
    const reply = r.providerSchema?.producers.find((p) => p.key === 'pdf.quote.reply#QuoteReply')?.payload ?? true
    expect(validate(reply, { cents: 1, items: ['a', 2] })).toEqual([])
    expect(validate(reply, { cents: 1, items: ['a', 2, 3] })).not.toEqual([])
  })

  it('reads a 2.6 JSON document: publish is what the application receives, subscribe what it sends, oneOf messages one expectation each', async () => {
    const r = await importAsyncApi(fixture('billing-2.6.json'), { service: 'billing' })
    expect(r.contracts).toHaveLength(1)
    expect(r.contracts[0]?.provider).toBe('shop')
    expect(r.contracts[0]?.expectations.map((e) => e.messageName)).toEqual(['OrderPlaced', 'OrderPlacedV2'])
    expect(r.providerSchema?.producers[0]?.key).toBe('invoice.{invoiceId}.created#InvoiceCreated')
  })

  it('refuses a receive operation whose provider nobody names, naming the operation', async () => {
    await expect(importAsyncApi(fixture('orders-3.yaml'), { service: 'pdf-worker' })).rejects.toMatchObject({
      code: ErrorCodes.INTEROP_PROVIDER_UNKNOWN,
      path: 'operations.answerQuote',
    })
  })

  it('refuses an invalid document with the parser error and its path', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'treaty-asyncapi-'))
    const file = join(dir, 'bad.yaml')
    await writeFile(file, 'asyncapi: 3.0.0\ninfo: { title: x }\n')
    await expect(importAsyncApi(file, { service: 'x' })).rejects.toMatchObject({ code: ErrorCodes.INTEROP_DOCUMENT_INVALID })
  })
})

describe('AsyncAPI export', () => {
  it.each([
    ['orders-3.yaml', 'pdf-worker'],
    ['billing-2.6.json', 'billing'],
  ])('%s: the 3.0 export parses with no errors and import → export → import keeps every message equivalent', async (file, service) => {
    const { first, second, doc } = await roundTrip(file, service)
    const { document } = await parseAsyncApi(JSON.stringify(doc), 'exported.json')
    expect(document.version()).toBe('3.0.0')
    const before = messages(first)
    const after = messages(second)
    expect([...after.keys()].sort()).toEqual([...before.keys()].sort())
    for (const [key, m] of before) {
      const again = after.get(key)
      expect(equivalent(m.payload, again?.payload ?? false), `${key} payload`).toBe(true)
      if (m.headers !== undefined) expect(equivalent(m.headers, again?.headers ?? false), `${key} headers`).toBe(true)
    }
  })

  it('writes one channel per subject with its parameters, NATS bindings and how each message is proven', async () => {
    const { doc } = await roundTrip('orders-3.yaml', 'pdf-worker')
    const channels = doc.channels as Record<
      string,
      { address: string; parameters?: object; messages: Record<string, Record<string, unknown>> }
    >
    const requested = Object.values(channels).find((c) => c.address === 'tenant.{tenantId}.pdf.requested')
    expect(requested?.parameters).toEqual({ tenantId: {} })
    const message = Object.values(requested?.messages ?? {})[0]
    expect(message?.['x-treaty']).toMatchObject({ provider: 'pdf-api', evidence: 'declared' })
    expect(message?.correlationId).toEqual({ location: '$message.header#/Correlation-Id' })
    const ops = Object.values(doc.operations as Record<string, { action: string; bindings: unknown }>)
    expect(ops.map((o) => o.action).sort()).toEqual(['receive', 'receive', 'send', 'send'])
    expect(ops[0]?.bindings).toEqual({ nats: { bindingVersion: '0.1.0' } })
  })
})
