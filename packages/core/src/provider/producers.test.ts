import { describe, expect, it } from 'vitest'
import type { Expectation } from '../contract/types.js'
import { ErrorCodes, isTreatyError } from '../errors.js'
import { producerKeys, producerLookup } from './producers.js'
import type { Producer } from './types.js'

const e = (description: string, channel: string, messageName?: string): Expectation => ({
  description,
  channel,
  providerStates: [],
  payload: { schema: true, example: null },
  ...(messageName === undefined ? {} : { messageName }),
})
const p = (): Producer => () => ({ payload: null })

describe('producerLookup', () => {
  it('prefers the exact description, then channel#messageName, then channel', () => {
    const byDescription = p()
    const byName = p()
    const byChannel = p()
    const lookup = producerLookup({ 'a PDF is requested': byDescription, 'pdf.requested#PdfRequested': byName, 'pdf.requested': byChannel })
    expect(lookup.find(e('a PDF is requested', 'pdf.requested', 'PdfRequested'))).toBe(byDescription)
    expect(lookup.find(e('another', 'pdf.requested', 'PdfRequested'))).toBe(byName)
    expect(lookup.find(e('another', 'pdf.requested', 'PdfCancelled'))).toBe(byChannel)
    expect(lookup.find(e('another', 'pdf.requested'))).toBe(byChannel)
    expect(lookup.find(e('another', 'pdf.cancelled'))).toBeUndefined()
  })

  it('never takes a key from the object prototype', () => {
    expect(producerLookup({}).find(e('x', 'constructor'))).toBeUndefined()
  })

  it('lists known keys sorted, and the ones no expectation used', () => {
    const lookup = producerLookup({ b: p(), a: p(), c: p() })
    lookup.find(e('x', 'b'))
    expect(lookup.known).toEqual(['a', 'b', 'c'])
    expect(lookup.unused()).toEqual(['a', 'c'])
  })

  it('rejects producers that are not functions', () => {
    for (const bad of [null, [], { x: 1 }]) {
      let error: unknown
      try {
        producerLookup(bad as never)
      } catch (err) {
        error = err
      }
      expect(isTreatyError(error, ErrorCodes.VERIFY_CONFIG_INVALID)).toBe(true)
    }
  })
})

describe('producerKeys', () => {
  it('lists the keys in the order producerLookup tries them', () => {
    const e = { description: 'd', channel: 'c', messageName: 'M', providerStates: [], payload: { schema: true, example: 1 } }
    expect(producerKeys(e)).toEqual(['d', 'c#M', 'c'])
    expect(producerKeys({ ...e, messageName: undefined })).toEqual(['d', 'c'])
    for (const [i, key] of producerKeys(e).entries()) {
      const producers = Object.fromEntries(
        producerKeys(e)
          .slice(i)
          .map((k) => [k, () => ({ payload: k })]),
      )
      expect(producerLookup(producers).find(e)).toBe(producers[key])
    }
  })
})
