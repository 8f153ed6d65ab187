import { describe, expect, it } from 'vitest'
import { throughJson } from './wire.js'

describe('throughJson', () => {
  it('returns plain JSON data as it is, without a copy', () => {
    const value = { a: [1, 'x', true, null, { b: -2.5 }] }
    const result = throughJson(value)
    expect(result).toEqual({ ok: true, value })
    expect(result.ok && result.value).toBe(value)
  })

  it('returns what JSON makes of the rest: Dates as strings, undefined dropped or null, NaN as null', () => {
    const at = new Date('2024-01-15T10:30:00.000Z')
    const result = throughJson({ at, gone: undefined, list: [undefined, Number.NaN, Number.POSITIVE_INFINITY], n: 1 })
    expect(result).toEqual({ ok: true, value: { at: '2024-01-15T10:30:00.000Z', list: [null, null, null], n: 1 } })
  })

  it('sees what JSON sees of a class instance and of hidden properties: own enumerable ones only', () => {
    class Order {
      id = 'o-1'
      get total() {
        return 3
      }
    }
    expect(throughJson({ order: new Order() })).toEqual({ ok: true, value: { order: { id: 'o-1' } } })
    const hidden = Object.defineProperty({ shown: 1 }, 'secret', { value: 2, enumerable: false })
    const result = throughJson(hidden)
    expect(result).toEqual({ ok: true, value: { shown: 1 } })
    expect(result.ok && Object.hasOwn(result.value as object, 'secret')).toBe(false)
  })

  it('fails on a BigInt, naming where it is', () => {
    expect(throughJson({ items: [{ qty: 1 }, { qty: 2n }] })).toEqual({
      ok: false,
      pointer: '/items/1/qty',
      problem: 'is a BigInt (2n), which JSON cannot carry; send it as a string or a number',
    })
  })

  it('fails on a function or a symbol, which JSON would drop silently', () => {
    expect(throughJson({ total: () => 3 })).toMatchObject({ ok: false, pointer: '/total', problem: expect.stringContaining('function') })
    expect(throughJson([Symbol('s')])).toMatchObject({ ok: false, pointer: '/0', problem: expect.stringContaining('symbol') })
  })

  it('fails on a cycle, naming both ends', () => {
    const order: Record<string, unknown> = { lines: [{}] }
    ;(order.lines as Record<string, unknown>[])[0]!.order = order
    expect(throughJson({ order })).toEqual({
      ok: false,
      pointer: '/order/lines/0/order',
      problem: 'is a circular reference (back to /order), which JSON cannot carry',
    })
  })

  it('accepts the same object twice when it is not a cycle', () => {
    const shared = { sku: 'A' }
    expect(throughJson({ a: shared, b: [shared] })).toMatchObject({ ok: true })
  })

  it('fails on a Map or a Set, which JSON would turn into {}', () => {
    expect(throughJson({ byId: new Map([['a', 1]]) })).toMatchObject({
      ok: false,
      pointer: '/byId',
      problem: expect.stringContaining('Map'),
    })
    expect(throughJson({ tags: new Set(['a']) })).toMatchObject({ ok: false, pointer: '/tags', problem: expect.stringContaining('Set') })
  })

  it('escapes keys in the pointer and fails on undefined as a whole message part', () => {
    expect(throughJson({ 'a/b': { '~': 1n } })).toMatchObject({ ok: false, pointer: '/a~1b/~0' })
    expect(throughJson(undefined)).toMatchObject({ ok: false, pointer: '', problem: expect.stringContaining('undefined') })
  })

  it('applies toJSON before looking, as JSON does', () => {
    const money = { toJSON: () => '12.50' }
    expect(throughJson({ price: money })).toEqual({ ok: true, value: { price: '12.50' } })
    expect(throughJson({ price: { toJSON: () => 5n } })).toMatchObject({ ok: false, pointer: '/price' })
  })
})
