import { producersFor } from '@treaty/core'
import { describe, expect, it } from 'vitest'
import { verified } from '../../test/support/domain-fixtures.js'
import { type CanIDeployInput, canIDeploy, staticCandidates } from './can-i-deploy.js'
import type { ExpectationFact, ProviderSchemaFact, ProviderSchemaProducer } from './types.js'

const NO_HEADERS = { type: 'object', additionalProperties: false }

const requested = (required: string[]): ExpectationFact => ({
  description: 'a PDF generation request',
  channel: 'pdf.requested',
  payload: {
    schema: { type: 'object', required, properties: { jobId: { type: 'string' }, title: { type: 'string' } } },
    example: { jobId: 'j-1', title: 't' },
  },
})

/** What pdf-api's types say it sends on `pdf.requested`: jobId always, pages maybe, never a title (an exact type). */
const producer = (over: Partial<ProviderSchemaProducer> = {}): ProviderSchemaProducer => ({
  key: 'pdf.requested',
  payload: {
    type: 'object',
    required: ['jobId'],
    properties: { jobId: { type: 'string' }, pages: { type: 'integer' } },
    additionalProperties: false,
  },
  headers: NO_HEADERS,
  ...over,
})

const schema = (providerVersion: string, producers = [producer()]): ProviderSchemaFact => ({
  provider: 'pdf-api',
  providerVersion,
  producers,
})

const asConsumer = (required: string[], over: Partial<CanIDeployInput> = {}): CanIDeployInput => ({
  service: 'pdf-worker',
  version: '1.5.0',
  environment: 'production',
  consumes: [{ consumer: 'pdf-worker', consumerVersion: '1.5.0', provider: 'pdf-api', contentHash: 'h15', channels: ['pdf.requested'] }],
  consumedBy: [],
  deployed: [{ service: 'pdf-api', version: '2.3.1' }],
  verifications: [],
  providerSchemas: [schema('2.3.1')],
  expectations: new Map([['h15', [requested(required)]]]),
  ...over,
})

describe('canIDeploy, statically from a published provider schema', () => {
  it('says yes, marked static, when the deployed provider’s schema satisfies every expectation', () => {
    const result = canIDeploy(asConsumer(['jobId']))
    expect(result.deployable).toBe(true)
    expect(result.rows).toMatchObject([{ providerVersion: '2.3.1', status: 'verified', mode: 'static', verification: null }])
    expect(result.rows[0]!.differences).toBeUndefined()
    expect(result.reasons[0]).toBe(
      "pdf-worker 1.5.0 can be deployed to production: all 1 contract with what runs there is verified (1 statically, from the provider's published schema)",
    )
    expect(result.reasons).toContain(
      'pdf-api 2.3.1 (in production) publishes a schema that satisfies the contract of pdf-worker 1.5.0 (`pdf.requested`): verified statically',
    )
  })

  it('says no, with the exact differences, when the consumer requires a field the provider’s type lacks', () => {
    const result = canIDeploy(asConsumer(['jobId', 'title']))
    expect(result.deployable).toBe(false)
    expect(result.rows).toMatchObject([
      {
        status: 'failed',
        mode: 'static',
        differences: [{ expectation: 'a PDF generation request', part: 'payload', pointer: '/title', kind: 'REQUIRED_PROPERTY_ADDED' }],
      },
    ])
    expect(result.reasons).toContain(
      'pdf-worker 1.5.0 expects `pdf.requested`; pdf-api 2.3.1 (in production) publishes a schema that does not satisfy it: payload/title renamed or removed (producer sends `pages`)',
    )
    expect(result.reasons[0]).toContain('(1 failed)')
  })

  it('checks headers too, and fails an expectation no producer key matches', () => {
    const withHeaders: ExpectationFact = {
      ...requested(['jobId']),
      headers: { schema: { type: 'object', required: ['traceId'] }, example: { traceId: 't' } },
    }
    const other: ExpectationFact = { ...requested(['jobId']), description: 'a cancellation', channel: 'pdf.cancelled' }
    const result = canIDeploy(asConsumer([], { expectations: new Map([['h15', [withHeaders, other]]]) }))
    expect(result.rows[0]!.differences!.map((d) => [d.expectation, d.part, d.kind])).toEqual([
      ['a PDF generation request', 'headers', 'REQUIRED_PROPERTY_ADDED'],
      ['a cancellation', 'payload', 'NO_PRODUCER'],
    ])
    expect(result.reasons[1]).toBe(
      'pdf-worker 1.5.0 expects `pdf.requested`; pdf-api 2.3.1 (in production) publishes a schema that does not satisfy it: ' +
        '"a PDF generation request": headers/traceId REQUIRED_PROPERTY_ADDED; "a cancellation": payload NO_PRODUCER',
    )
  })

  it('a replay verification of the content takes precedence, failed or successful', () => {
    const failedReplay = canIDeploy(
      asConsumer(['jobId'], { verifications: [verified({ contentHash: 'h15', providerVersion: '2.3.1', success: false })] }),
    )
    expect(failedReplay.rows).toMatchObject([{ status: 'failed', mode: 'replay', verification: { success: false } }])
    const passedReplay = canIDeploy(
      asConsumer(['jobId', 'title'], { verifications: [verified({ contentHash: 'h15', providerVersion: '2.3.1' })] }),
    )
    expect(passedReplay.rows).toMatchObject([{ status: 'verified', mode: 'replay' }])
    expect(passedReplay.deployable).toBe(true)
  })

  it('stays unknown without a schema of the deployed provider version: another version’s schema does not count', () => {
    const result = canIDeploy(asConsumer(['jobId'], { providerSchemas: [schema('2.4.0')] }))
    expect(result.deployable).toBe(false)
    expect(result.rows[0]).toMatchObject({ status: 'unverified', verification: null })
    expect(result.rows[0]!.mode).toBeUndefined()
    expect(canIDeploy(asConsumer(['jobId'], { providerSchemas: undefined, expectations: undefined })).rows[0]!.status).toBe('unverified')
  })

  it('as a provider: its own published schema decides the deployed consumers it never replayed', () => {
    const input: CanIDeployInput = {
      service: 'pdf-api',
      version: '2.4.0',
      environment: 'production',
      consumes: [],
      consumedBy: [
        { consumer: 'pdf-worker', consumerVersion: '1.4.0', provider: 'pdf-api', contentHash: 'w14', channels: ['pdf.requested'] },
        { consumer: 'archiver', consumerVersion: '3.0.0', provider: 'pdf-api', contentHash: 'a30', channels: ['pdf.requested'] },
      ],
      deployed: [],
      verifications: [verified({ contentHash: 'a30', providerVersion: '2.4.0' })],
      providerSchemas: [schema('2.4.0')],
      expectations: new Map([
        ['w14', [requested(['jobId', 'title'])]],
        ['a30', [requested(['title'])]],
      ]),
    }
    expect(staticCandidates(input)).toEqual({ providers: [{ provider: 'pdf-api', version: '2.4.0' }], contentHashes: ['w14'] })
    const result = canIDeploy(input)
    expect(result.rows.map((r) => [r.consumer, r.status, r.mode])).toEqual([
      ['pdf-worker', 'failed', 'static'],
      ['archiver', 'verified', 'replay'],
    ])
    expect(result.reasons).toContain(
      'pdf-worker 1.4.0 (in production) expects `pdf.requested`; pdf-api 2.4.0 publishes a schema that does not satisfy it: payload/title renamed or removed (producer sends `pages`)',
    )
  })

  it('asks the store for nothing when replay answered every row', () => {
    const input = asConsumer(['jobId'], { verifications: [verified({ contentHash: 'h15', providerVersion: '2.3.1' })] })
    expect(staticCandidates(input)).toEqual({ providers: [], contentHashes: [] })
  })
})

describe('producersFor', () => {
  it('finds producers by the verifier’s rule: exact description, then channel#messageName, then channel', () => {
    const producers = [producer({ key: 'c' }), producer({ key: 'c#m' }), producer({ key: 'exact' })]
    const e = (description: string, messageName?: string): ExpectationFact => ({
      ...requested([]),
      description,
      channel: 'c',
      ...(messageName === undefined ? {} : { messageName }),
    })
    expect(producersFor(e('exact', 'm'), producers).map((p) => p.key)).toEqual(['exact'])
    expect(producersFor(e('named', 'm'), producers).map((p) => p.key)).toEqual(['c#m'])
    expect(producersFor(e('other', 'n'), producers).map((p) => p.key)).toEqual(['c'])
    expect(producersFor({ ...e('x'), channel: 'd' }, producers)).toEqual([])
  })
})
