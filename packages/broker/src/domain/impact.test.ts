import { describe, expect, it } from 'vitest'
import { type ConsumerContractFact, constraintOf, fieldsRead, fieldUsageMap } from './field-usage.js'
import { consumersIn, impactOf } from './impact.js'
import type { ExpectationFact, ProviderSchemaProducer } from './types.js'

const itemsSchema = (qty: object) => ({
  type: 'array',
  items: { type: 'object', required: ['sku', 'qty'], properties: { sku: { type: 'string' }, qty } },
})

const workerExpects = (qty: object = { type: 'integer', minimum: 1 }): ExpectationFact => ({
  description: 'an order to render',
  channel: 'pdf.requested',
  payload: {
    schema: {
      type: 'object',
      required: ['jobId', 'items'],
      properties: { jobId: { type: 'string', format: 'uuid' }, title: { type: 'string' }, items: itemsSchema(qty) },
    },
    example: {},
  },
})

const archiverExpects: ExpectationFact = {
  description: 'a request to archive',
  channel: 'pdf.requested',
  payload: { schema: { type: 'object', required: ['jobId'], properties: { jobId: { type: 'string' } } }, example: {} },
}

const consumer = (
  name: string,
  version: string,
  environments: string[],
  expectations: ExpectationFact[],
  mainBranch = false,
): ConsumerContractFact => ({ consumer: name, version, environments, mainBranch, contentHash: `${name}-${version}`, expectations })

/** pdf-api after the change: `qty` renamed to `quantity`, everything else as before. */
const renamed: ProviderSchemaProducer = {
  key: 'pdf.requested',
  payload: {
    type: 'object',
    additionalProperties: false,
    required: ['jobId', 'items'],
    properties: {
      jobId: { type: 'string', format: 'uuid' },
      items: {
        type: 'array',
        items: {
          type: 'object',
          additionalProperties: false,
          required: ['sku', 'quantity'],
          properties: { sku: { type: 'string' }, quantity: { type: 'integer', minimum: 1 } },
        },
      },
    },
  },
  headers: { type: 'object' },
}

const consumers = [
  consumer('pdf-worker', '1.4.0', ['production'], [workerExpects()]),
  consumer('pdf-worker', '1.5.0', ['staging'], [workerExpects()], true),
  consumer('pdf-archiver', '3.0.0', ['production'], [archiverExpects]),
]

describe('impactOf: who a provider change hurts, field by field', () => {
  it('reports one renamed field as one finding naming every consumer version it breaks and who never reads it', () => {
    const report = impactOf({ provider: 'pdf-api', producers: [renamed], consumers })
    expect(report.findings).toHaveLength(1)
    const [f] = report.findings
    expect(f).toMatchObject({ channel: 'pdf.requested', part: 'payload', pointer: '/items/*/qty', kind: 'REQUIRED_PROPERTY_ADDED' })
    expect(f!.breaks.map((b) => `${b.consumer} ${b.version}`)).toEqual(['pdf-worker 1.4.0', 'pdf-worker 1.5.0'])
    expect(f!.unaffected).toEqual(['pdf-archiver'])
    expect(f!.summary).toBe(
      'removes or makes optional payload/items/*/qty on pdf.requested: breaks pdf-worker 1.4.0 (production) and pdf-worker 1.5.0 (staging); pdf-archiver never reads it',
    )
    expect(report.breaksDeployed).toBe(true)
  })

  it('names what the producer sends instead of the renamed field', () => {
    const [f] = impactOf({ provider: 'pdf-api', producers: [renamed], consumers }).findings
    expect(f!.message).toBe('`qty` renamed or removed; producer sends `quantity`')
  })

  it('by replay: groups what each content’s replay found as it groups a schema’s differences', () => {
    const missing = (expectation: string) => ({
      expectation,
      part: 'payload' as const,
      pointer: '/items/*/qty',
      kind: 'REQUIRED_PROPERTY_ADDED',
      message: 'payload/items/0/qty: missing required property `qty`',
    })
    const replayed = new Map([
      ['pdf-worker-1.4.0', [missing('an order to render')]],
      ['pdf-worker-1.5.0', [missing('an order to render')]],
      ['pdf-archiver-3.0.0', []],
    ])
    const report = impactOf({ provider: 'pdf-api', replayed, consumers })
    expect(report.findings).toHaveLength(1)
    expect(report.findings[0]!.summary).toBe(
      'removes or makes optional payload/items/*/qty on pdf.requested: breaks pdf-worker 1.4.0 (production) and pdf-worker 1.5.0 (staging); pdf-archiver never reads it',
    )
    // A content the replay did not cover is not proven: never a silent pass.
    const partial = impactOf({ provider: 'pdf-api', replayed: new Map([['pdf-worker-1.4.0', []]]), consumers })
    expect(partial.findings.map((f) => [f.kind, f.breaks.map((b) => `${b.consumer} ${b.version}`)])).toEqual([
      ['CANNOT_PROVE', ['pdf-archiver 3.0.0', 'pdf-worker 1.5.0']],
    ])
    expect(partial.breaksDeployed).toBe(true)
  })

  it('finds nothing when the change is compatible with every reader', () => {
    const widened = structuredClone(renamed)
    const item = (widened.payload as { properties: { items: { items: { properties: Record<string, object>; required: string[] } } } })
      .properties.items.items
    item.properties.qty = { type: 'integer', minimum: 1 }
    item.required.push('qty')
    const report = impactOf({ provider: 'pdf-api', producers: [widened], consumers })
    expect(report).toMatchObject({ breaksDeployed: false, findings: [] })
    expect(report.consumers).toHaveLength(3)
  })

  it('reports a type change once per field even when several readers constrain it differently', () => {
    const looser = structuredClone(renamed)
    const item = (looser.payload as { properties: { items: { items: { properties: Record<string, object>; required: string[] } } } })
      .properties.items.items
    item.properties.qty = { type: 'number' }
    item.required.push('qty')
    const report = impactOf({
      provider: 'pdf-api',
      producers: [looser],
      consumers: [...consumers, consumer('pdf-billing', '1.0.0', [], [workerExpects({ type: 'integer' })], true)],
    })
    expect(report.findings.map((f) => [f.pointer, f.kind, f.breaks.length])).toEqual([['/items/*/qty', 'TYPE_NARROWED', 3]])
    expect(report.findings[0]!.breaksDeployed).toBe(true)
  })

  it('reports a message the provider stops sending as one finding for the whole message, not one per field', () => {
    const report = impactOf({ provider: 'pdf-api', producers: [{ ...renamed, key: 'pdf.other' }], consumers })
    expect(report.findings).toMatchObject([{ pointer: '', kind: 'NO_PRODUCER', unaffected: [] }])
    expect(report.findings[0]!.breaks).toHaveLength(3)
  })

  it('breaks no deployed consumer when only a main-branch version breaks: exit 0 territory', () => {
    const report = impactOf({
      provider: 'pdf-api',
      producers: [renamed],
      consumers: [consumer('pdf-worker', '1.6.0', [], [workerExpects()], true), consumers[2]!],
    })
    expect(report.findings).toHaveLength(1)
    expect(report.breaksDeployed).toBe(false)
  })

  it('counts only the environments asked for', () => {
    const report = impactOf({ provider: 'pdf-api', producers: [renamed], consumers, environments: ['production'] })
    expect(report.findings[0]!.breaks.map((b) => [b.version, b.environments])).toEqual([
      ['1.4.0', ['production']],
      ['1.5.0', []],
    ])
    expect(consumersIn(consumers, ['qa']).map((c) => c.version)).toEqual(['1.5.0'])
  })
})

describe('field usage: which consumer reads which pointer', () => {
  it('lists every field an expectation reads with the engine’s pointers and a short constraint', () => {
    expect(fieldsRead(workerExpects()).map((f) => `${f.part}${f.pointer}: ${f.constraint}`)).toEqual([
      'payload/jobId: required string (uuid)',
      'payload/title: optional string',
      'payload/items: required array',
      'payload/items/*: required object',
      'payload/items/*/sku: required string',
      'payload/items/*/qty: required integer >= 1',
    ])
  })

  it('reads headers, enums and the properties of alternatives', () => {
    const e: ExpectationFact = {
      description: 'x',
      channel: 'c',
      payload: { schema: { anyOf: [{ type: 'object', properties: { a: { enum: ['x', 'y'] } } }] }, example: {} },
      headers: {
        schema: { type: 'object', required: ['Correlation-Id'], properties: { 'Correlation-Id': { type: 'string' } } },
        example: {},
      },
    }
    expect(fieldsRead(e).map((f) => `${f.part}${f.pointer}: ${f.constraint}`)).toEqual([
      'payload/a: optional one of "x", "y"',
      'headers/Correlation-Id: required string',
    ])
  })

  it('maps a channel to its readers, one entry per consumer version and field', () => {
    const usage = fieldUsageMap(consumers, 'pdf.requested').filter((u) => u.pointer === '/jobId')
    expect(usage.map((u) => `${u.consumer} ${u.version} ${u.environments.join(',')}`)).toEqual([
      'pdf-archiver 3.0.0 production',
      'pdf-worker 1.4.0 production',
      'pdf-worker 1.5.0 staging',
    ])
    expect(fieldUsageMap(consumers, 'pdf.generated')).toEqual([])
  })

  it('describes bounds and patterns', () => {
    expect(constraintOf({ type: 'string', pattern: '^a', minLength: 2 }, false)).toBe('optional string matching /^a/ length >= 2')
    expect(constraintOf({ const: 3 }, true)).toBe('required = 3')
  })
})
