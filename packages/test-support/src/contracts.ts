/**
 * Contracts the tests share. `pdfRequestContract`: pdf-worker's expectation of pdf-api's `pdf.requested`
 * (the CLI, UI and pipeline tests). `workerContract` / `auditContract` / `observed`: two consumers of one
 * provider, one channel with a parameter (the observe tests).
 */
import { mkdir, writeFile } from 'node:fs/promises'
import type { BrokerClient, Contract, Expectation, JsonSchema, JsonValue } from '@treaty/core'
import type { ObservedContract } from '@treaty/observe'
import { type TempDir, tempDir } from './temp.js'

/** pdf-worker reads `pdf.requested`: by default it needs a string `jobId`. */
export function pdfRequestContract(
  schema: JsonSchema = { type: 'object', required: ['jobId'], properties: { jobId: { type: 'string' } } },
  example: JsonValue = { jobId: 'j-1' },
): Contract {
  return {
    treaty: '1',
    consumer: 'pdf-worker',
    provider: 'pdf-api',
    expectations: [{ description: 'a PDF generation request', channel: 'pdf.requested', providerStates: [], payload: { schema, example } }],
  }
}

/** A consumer project in a temp dir: `contracts/<consumer>--<provider>.json` for each contract. */
export async function contractsProject(contracts: readonly Contract[] = [pdfRequestContract()]): Promise<TempDir> {
  const dir = await tempDir('treaty-project')
  await mkdir(dir.join('contracts'))
  for (const c of contracts) await writeFile(dir.join('contracts', `${c.consumer}--${c.provider}.json`), JSON.stringify(c))
  return dir
}

const requested = {
  type: 'object',
  required: ['jobId', 'items'],
  properties: {
    jobId: { type: 'string' },
    items: { type: 'array', items: { type: 'object', required: ['qty'], properties: { qty: { type: 'integer', minimum: 1 } } } },
  },
}

function expectation(description: string, channel: string, schema: JsonSchema, example: JsonValue, headers?: JsonSchema): Expectation {
  return {
    description,
    channel,
    providerStates: [],
    ...(headers ? { headers: { schema: headers, example: { 'Correlation-Id': 'c-1' } } } : {}),
    payload: { schema, example },
  }
}

export const workerContract: Contract = {
  treaty: '1',
  consumer: 'pdf-worker',
  provider: 'pdf-api',
  expectations: [
    expectation(
      'a render request',
      'pdf.requested',
      requested,
      { jobId: 'j-1', items: [{ qty: 1 }] },
      { type: 'object', required: ['Correlation-Id'] },
    ),
    expectation('a tenant event', 'tenant.{id}.events', { type: 'object', required: ['kind'] }, { kind: 'created' }),
  ],
}

export const auditContract: Contract = {
  treaty: '1',
  consumer: 'pdf-audit',
  provider: 'pdf-api',
  expectations: [
    expectation('any request with a job id', 'pdf.requested', { type: 'object', required: ['jobId'] }, { jobId: 'j-1' }),
    expectation('a cancellation', 'pdf.cancelled', { type: 'object', required: ['jobId'] }, { jobId: 'j-1' }),
  ],
}

export const observed: ObservedContract[] = [
  { consumer: 'pdf-worker', consumerVersion: '1.4.0', environment: 'production', contentHash: 'a'.repeat(64), contract: workerContract },
  { consumer: 'pdf-audit', consumerVersion: '2.0.0', environment: 'production', contentHash: 'b'.repeat(64), contract: auditContract },
]

export const good = { jobId: 'j-1', items: [{ qty: 2 }] }
export const bad = { jobId: 'j-2', items: [{}] }
export const encode = (v: unknown) => new TextEncoder().encode(JSON.stringify(v))

/** What the observe tests find in a broker: pdf-worker 1.4.0 (`workerContract`) and pdf-api 2.0.0, verified, both deployed in production. */
export async function deployWorkerAndApi(client: BrokerClient): Promise<void> {
  const { contracts } = (await client.publishContracts({
    consumer: 'pdf-worker',
    version: '1.4.0',
    branch: 'main',
    contracts: [workerContract],
  })) as { contracts: { contentHash: string }[] }
  await client.publishVerification({
    provider: 'pdf-api',
    providerVersion: '2.0.0',
    results: [{ contentHash: contracts[0]!.contentHash, success: true, expectations: [] }],
  })
  await client.putEnvironment('production', { production: true })
  await client.recordDeployment('production', { service: 'pdf-worker', version: '1.4.0' })
  await client.recordDeployment('production', { service: 'pdf-api', version: '2.0.0' })
}
