import { describe, expect, it } from 'vitest'
import { didYouMean, typosOf } from './known-names.js'

describe('did you mean', () => {
  it('names only the nearest known names, not every name within reach', () => {
    // Both are within the reach of a 15-letter name (5 edits); only the one-letter slip is what was meant.
    expect(didYouMean('staging-b3a8f7d', ['staging-83aac2d9', 'staging-b3a8f7d9'])).toBe('; did you mean "staging-b3a8f7d9"?')
    expect(didYouMean('staging-b3a8f7d', ['staging-83aac2d9'])).toBe('; did you mean "staging-83aac2d9"?')
  })

  it('names every name at the nearest distance, in order, at most three', () => {
    expect(didYouMean('prod', ['prodx', 'prody', 'production', 'staging'])).toBe('; did you mean "production" or "prodx" or "prody"?')
    expect(didYouMean('ab', ['ac', 'ad', 'ae', 'af'])).toBe('; did you mean "ac" or "ad" or "ae"?')
  })

  it('says nothing when no name is close, or none is known', () => {
    expect(didYouMean('orders', ['billing', 'payments'])).toBe('')
    expect(didYouMean('orders', [])).toBe('')
  })

  it('finds the typos of a new name among the known ones', () => {
    expect(typosOf('ordres', ['orders', 'order', 'billing', 'ordres'])).toEqual(['order', 'orders'])
  })
})
