/** Contracts used by the observe tests: two consumers of one provider, one channel with a parameter. */
import type { Contract, Expectation, JsonSchema, JsonValue } from '@treaty/core'
import type { ObservedContract } from '../../src/types.js'

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
