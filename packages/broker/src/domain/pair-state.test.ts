import type { JsonSchema } from '@treaty/core'
import { describe, expect, it } from 'vitest'
import { decidePair } from './pair-state.js'
import type { ExpectationFact, ProviderSchemaFact } from './types.js'

const expectation: ExpectationFact = {
  description: 'a pdf request',
  channel: 'pdf.requested',
  payload: { schema: { type: 'object', required: ['id'], properties: { id: { type: 'string' } } }, example: { id: 'a' } },
} as ExpectationFact
const schema = (payload: JsonSchema): ProviderSchemaFact => ({
  provider: 'pdf-worker',
  providerVersion: '2',
  producers: [{ key: 'pdf.requested', payload, headers: { type: 'object' } }],
})

describe('decidePair', () => {
  it('a replayed success is verified by replay, and a success on main means it is not pending', () => {
    const d = decidePair({
      latestVerification: { success: true },
      verifiedOnMain: true,
      providerSchema: undefined,
      expectations: undefined,
    })
    expect(d).toMatchObject({ state: 'verified', mode: 'replay', pending: false })
  })

  it('a replayed failure wins over a provider schema that would satisfy the contract', () => {
    const ok = schema({ type: 'object', required: ['id'], properties: { id: { type: 'string' } } })
    const d = decidePair({ latestVerification: { success: false }, verifiedOnMain: false, providerSchema: ok, expectations: [expectation] })
    expect(d).toMatchObject({ state: 'failed', mode: 'replay', pending: true })
  })

  it('without a replay result, a provider schema that satisfies every expectation proves the pair statically', () => {
    const ok = schema({ type: 'object', required: ['id'], properties: { id: { type: 'string' } } })
    const d = decidePair({ latestVerification: null, verifiedOnMain: false, providerSchema: ok, expectations: [expectation] })
    expect(d).toMatchObject({ state: 'proven', mode: 'static', differences: [] })
  })

  it('a provider schema that may omit a required field fails the pair statically, with the pointer', () => {
    const loose = schema({ type: 'object', properties: { id: { type: 'string' } } })
    const d = decidePair({ latestVerification: null, verifiedOnMain: false, providerSchema: loose, expectations: [expectation] })
    expect(d.state).toBe('failed')
    expect(d.mode).toBe('static')
    expect(d.differences.map((x) => x.kind)).toContain('REQUIRED_PROPERTY_ADDED')
  })

  it('nothing decided: pending until main verified the content once, unverified after', () => {
    const base = { latestVerification: null, providerSchema: undefined, expectations: undefined }
    expect(decidePair({ ...base, verifiedOnMain: false }).state).toBe('pending')
    expect(decidePair({ ...base, verifiedOnMain: true }).state).toBe('unverified')
  })
})
