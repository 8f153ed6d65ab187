import { describe, expect, it } from 'vitest'
import { sameValue, valueHash } from './same-value.js'

describe('sameValue and valueHash', () => {
  it('treat values with the same JSON text as the same, and hash them alike', () => {
    const text = '{"type":"object","required":["a"],"properties":{"a":{"enum":[1,"x",true,null]},"b":{"items":[{}]}}}'
    const [a, b] = [JSON.parse(text), JSON.parse(text)]
    expect(sameValue(a, b)).toBe(true)
    expect(valueHash(a)).toBe(valueHash(b))
    expect(sameValue(true, true)).toBe(true)
    expect(sameValue(Number.NaN, Number.NaN)).toBe(true)
  })

  it('tell apart what JSON writes differently: key order, nesting, types, one character', () => {
    const base = { type: 'object', properties: { a: { type: 'string' }, b: { minimum: 1 } } }
    const differing = [
      { properties: { a: { type: 'string' }, b: { minimum: 1 } }, type: 'object' },
      { type: 'object', properties: { b: { minimum: 1 }, a: { type: 'string' } } },
      { type: 'object', properties: { a: { type: 'string' }, b: { minimum: '1' } } },
      { type: 'object', properties: { a: { type: 'strinG' }, b: { minimum: 1 } } },
      { type: 'object', properties: { a: { type: ['string'] }, b: { minimum: 1 } } },
      { type: 'object', properties: { a: { type: 'string' }, b: { minimum: 1.5 } } },
      { type: 'object', properties: { a: { type: 'string' }, b: { minimum: 1 }, c: {} } },
      { type: 'object', properties: { a: { type: 'string' }, b: {} } },
      { type: 'object', properties: { a: { type: 'string' }, b: [1] } },
    ]
    for (const other of differing) {
      expect(sameValue(base, other)).toBe(false)
      expect(sameValue(other, base)).toBe(false)
    }
    expect(sameValue([], {})).toBe(false)
    expect(sameValue(null, {})).toBe(false)
    expect(sameValue(0, -0)).toBe(false)
    expect(sameValue({ a: 1 }, Object.assign(Object.create({ b: 2 }), { a: 1 }))).toBe(false)
  })
})
