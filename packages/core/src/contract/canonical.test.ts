import { describe, expect, it } from 'vitest'
import { canonicalJson } from '../json/canonical.js'
import { contractHash } from './canonical.js'
import { serializeContract } from './read-write.js'
import type { Contract, Expectation } from './types.js'

const a: Expectation = {
  description: 'a',
  channel: 'x.a',
  providerStates: [],
  payload: { schema: { type: 'object', properties: { n: { type: 'integer' } }, required: ['n'] }, example: { n: 1 } },
}
const b: Expectation = {
  description: 'b',
  channel: 'x.b',
  providerStates: [{ name: 's', params: { id: '1' } }],
  payload: { schema: true, example: 1 },
}
const contract = (expectations: Expectation[]): Contract => ({ treaty: '1', consumer: 'c', provider: 'p', expectations })

describe('canonical form and contractHash', () => {
  it('sorts keys and drops whitespace', () => {
    expect(canonicalJson({ b: 1, a: { d: [3, { f: 1, e: 2 }], c: undefined } })).toBe('{"a":{"d":[3,{"e":2,"f":1}]},"b":1}')
  })

  it('keeps a member named __proto__ (JSON.parse makes it an own property): two different documents never share a hash', () => {
    const withProto = JSON.parse('{"a":{"__proto__":{"x":1},"b":2}}')
    expect(canonicalJson(withProto)).toBe('{"a":{"__proto__":{"x":1},"b":2}}')
    const example = JSON.parse('{"__proto__":"sent","n":1}')
    const written = contract([{ ...a, payload: { ...a.payload, example } }])
    expect(serializeContract(written)).toContain('"__proto__": "sent"')
    expect(contractHash(written)).not.toBe(contractHash(contract([{ ...a, payload: { ...a.payload, example: { n: 1 } } }])))
  })

  it('gives the same hash for the same expectations in another order or key order', () => {
    const reversed = (v: unknown): unknown =>
      Array.isArray(v)
        ? v.map(reversed)
        : v && typeof v === 'object'
          ? Object.fromEntries(
              Object.entries(v)
                .reverse()
                .map(([k, x]) => [k, reversed(x)]),
            )
          : v
    const reordered = reversed(contract([b, a])) as Contract
    expect(JSON.stringify(reordered)).not.toBe(JSON.stringify(contract([a, b])))
    expect(contractHash(contract([a, b]))).toBe(contractHash(contract([b, a])))
    expect(contractHash(reordered)).toBe(contractHash(contract([a, b])))
    expect(contractHash(contract([a, b]))).toMatch(/^[0-9a-f]{64}$/)
  })

  it('gives a different hash when any content changes', () => {
    const changed = structuredClone(a)
    changed.payload.example = { n: 2 }
    expect(contractHash(contract([changed, b]))).not.toBe(contractHash(contract([a, b])))
  })

  it('serialises in canonical order so the file is stable across runs', () => {
    expect(serializeContract(contract([b, a]))).toBe(serializeContract(contract([a, b])))
    expect(serializeContract(contract([a])).endsWith('}\n')).toBe(true)
  })
})
