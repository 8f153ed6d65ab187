/**
 * Treaty against the real pact-js (its native core ships in the npm package), both directions:
 * pact-js writes message pacts → Treaty imports them and verifies a provider; Treaty exports a contract
 * → pact-js's MessageProviderPact verifies it against a provider. A broken producer is red both ways.
 */
import { mkdtemp, readFile, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import {
  MatchersV3,
  MessageConsumerPact,
  MessageProviderPact,
  PactV4,
  providerWithMetadata,
  synchronousBodyHandler,
} from '@pact-foundation/pact'
import { beforeAll, describe, expect, it } from 'vitest'
import { type Contract, type Producers, verifyContracts } from '../src/index.js'
import { exportPact, importPactFile } from '../src/interop/index.js'
import type { InteropNote } from '../src/interop/types.js'

const { like, eachLike, regex, integer, decimal, boolean, datetime } = MatchersV3

const goodProducers: Producers = {
  'a PDF job is requested': ({ params }) => ({
    payload: {
      jobId: `job-${String(params.id ?? 7)}`,
      pages: 3,
      price: 1.5,
      color: true,
      createdAt: '2024-01-15T10:30:00.000Z',
      files: [{ name: 'a.pdf', size: 10 }],
    },
    headers: { 'Correlation-Id': 'c-1' },
  }),
}
const brokenProducers: Producers = {
  'a PDF job is requested': () => ({
    payload: { jobId: 42, pages: 'three', files: [] },
    headers: { 'Correlation-Id': 'c-1' },
  }),
}

const states = { 'a job exists': () => undefined }
let dir: string
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'treaty-pact-'))
})

async function pactJsV3(): Promise<string> {
  const pact = new MessageConsumerPact({ consumer: 'pdf-worker', provider: 'pdf-api', dir, logLevel: 'error' })
  await pact
    .given({ name: 'a job exists', params: { id: '7' } })
    .expectsToReceive('a PDF job is requested')
    .withContent({
      jobId: regex('^job-\\d+$', 'job-7'),
      pages: integer(3),
      price: decimal(1.5),
      color: boolean(true),
      createdAt: datetime("yyyy-MM-dd'T'HH:mm:ss.SSSX", '2024-01-15T10:30:00.000Z'),
      files: eachLike({ name: like('a.pdf'), size: integer(10) }),
    })
    .withMetadata({ subject: 'pdf.requested', 'Correlation-Id': like('c-1') })
    .verify(synchronousBodyHandler(() => undefined))
  return join(dir, 'pdf-worker-pdf-api.json')
}

async function pactJsV4(): Promise<string> {
  const pact = new PactV4({ consumer: 'pdf-worker-v4', provider: 'pdf-api', dir, logLevel: 'error' })
  await pact
    .addAsynchronousInteraction()
    .given('a job exists', { id: '7' })
    .expectsToReceive('a PDF job is requested', (builder) => {
      builder
        .withJSONContent({ jobId: regex('^job-\\d+$', 'job-7'), pages: integer(3), files: eachLike({ name: like('a.pdf') }) })
        .withMetadata({ subject: 'pdf.requested', 'Correlation-Id': like('c-1') })
    })
    .executeTest(async () => undefined)
  return join(dir, 'pdf-worker-v4-pdf-api.json')
}

describe('pact-js message pacts → Treaty', () => {
  it.each([
    ['V3', pactJsV3],
    ['V4', pactJsV4],
  ])('a %s pact written by pact-js imports as a contract that passes a good producer and fails a broken one', async (_v, write) => {
    const file = await write()
    const { contracts, notes } = await importPactFile(file)
    const [contract] = contracts
    expect(contract?.expectations[0]).toMatchObject({
      description: 'a PDF job is requested',
      channel: 'pdf.requested',
      providerStates: [{ name: 'a job exists', params: { id: '7' } }],
    })
    expect(notes.filter((n) => n.message.startsWith('matching rule'))).toEqual([])
    const good = await verifyContracts({ provider: 'pdf-api', contracts, producers: goodProducers, states })
    expect(good.success).toBe(true)
    const broken = await verifyContracts({ provider: 'pdf-api', contracts, producers: brokenProducers, states })
    expect(broken.success).toBe(false)
  })
})

const contract: Contract = {
  treaty: '1',
  consumer: 'pdf-worker',
  provider: 'pdf-api',
  expectations: [
    {
      description: 'a PDF job is requested',
      channel: 'pdf.requested',
      providerStates: [{ name: 'a job exists', params: { id: 7 } }],
      headers: {
        schema: { type: 'object', required: ['Correlation-Id'], properties: { 'Correlation-Id': { type: 'string' } } },
        example: { 'Correlation-Id': 'c-1' },
      },
      payload: {
        schema: {
          type: 'object',
          required: ['jobId', 'pages', 'files'],
          properties: {
            jobId: { type: 'string', pattern: '^job-\\d+$' },
            pages: { type: 'integer' },
            files: { type: 'array', minItems: 1, items: { type: 'object', required: ['name'], properties: { name: { type: 'string' } } } },
          },
        },
        example: { jobId: 'job-7', pages: 3, files: [{ name: 'a.pdf' }] },
      },
    },
  ],
}

async function verifyWithPactJs(produce: () => unknown): Promise<void> {
  const notes: InteropNote[] = []
  const { fileName, pact } = exportPact(contract, notes)
  const file = join(dir, `exported-${fileName}`)
  await writeFile(file, JSON.stringify(pact, null, 2))
  const states: string[] = []
  await new MessageProviderPact({
    provider: 'pdf-api',
    pactUrls: [file],
    logLevel: 'error',
    messageProviders: { 'a PDF job is requested': providerWithMetadata(produce, { channel: 'pdf.requested', 'Correlation-Id': 'c-9' }) },
    stateHandlers: {
      'a job exists': (_state, params) => {
        states.push(JSON.stringify(params))
        return Promise.resolve()
      },
    },
  }).verify()
  expect(states).toEqual([JSON.stringify({ id: 7 })])
}

describe('Treaty contracts → pact-js', () => {
  it('a contract exported as a V4 pact is verified by pact-js MessageProviderPact against a good producer', async () => {
    await verifyWithPactJs(() => Promise.resolve({ jobId: 'job-12', pages: 9, files: [{ name: 'b.pdf' }, { name: 'c.pdf' }], extra: 1 }))
  })

  it('pact-js fails the same export against a broken producer', async () => {
    await expect(verifyWithPactJs(() => Promise.resolve({ jobId: 'nope', pages: 1.5, files: [] }))).rejects.toThrow()
  })

  it('the export reads back as the same contract (import → compare)', async () => {
    const { pact } = exportPact(contract, [])
    const file = join(dir, 'reimport.json')
    await writeFile(file, JSON.stringify(pact))
    const { contracts } = await importPactFile(file)
    const back = contracts[0]?.expectations[0]
    expect(back?.channel).toBe('pdf.requested')
    expect(back?.payload.example).toEqual(contract.expectations[0]?.payload.example)
    expect(JSON.parse(await readFile(file, 'utf8')).interactions[0].matchingRules.body['$.jobId']).toEqual({
      combine: 'AND',
      matchers: [{ match: 'regex', regex: '^job-\\d+$' }],
    })
  })
})
