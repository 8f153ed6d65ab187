import { describe, expect, it } from 'vitest'
import { ErrorCodes } from '../errors.js'
import { mergeFragments, nextFragment, type Proven } from './fragments.js'

const p = (description: string, example = 1): Proven => ({
  hash: `${description}:${example}`,
  expectation: { description, channel: 'c', providerStates: [], payload: { schema: true, example } },
})
const names = (entries: Proven[]) => entries.map((e) => `${e.expectation.description}:${e.expectation.payload.example}`).sort()

describe('nextFragment', () => {
  const previous = [p('a'), p('b'), p('c')]

  it('a partial run updates what it proved and keeps the rest', () => {
    const next = nextFragment(previous, { proven: new Map([['a', p('a', 2)]]), failed: new Set(['b']), complete: false })
    expect(names(next.entries)).toEqual(['a:2', 'b:1', 'c:1'])
    expect(next.released).toEqual([])
  })

  it('a complete run releases what it no longer declares, but keeps the proven version of what failed', () => {
    const next = nextFragment(previous, { proven: new Map([['d', p('d')]]), failed: new Set(['b']), complete: true })
    expect(names(next.entries)).toEqual(['b:1', 'd:1'])
    expect(next.released).toEqual(['a', 'c'])
  })
})

describe('mergeFragments', () => {
  it('keeps unowned expectations of the contract file unless released or pruned', () => {
    const fragments = [{ fragment: { testFile: 'f', consumer: 'x', provider: 'y', entries: [p('a')] }, fresh: true }]
    const existing = [p('a', 9), p('orphan'), p('gone')].map((e) => e.expectation)
    const merged = mergeFragments(fragments, 'f', existing, new Set(['gone']))
    expect(merged.map((e) => [e.description, e.payload.example])).toEqual([
      ['a', 1],
      ['orphan', 1],
    ])
    expect(mergeFragments(fragments, 'f', existing, new Set(), true).map((e) => e.description)).toEqual(['a'])
  })

  it('refuses one description with different content in two fresh fragments', () => {
    const frag = (testFile: string, example: number) => ({
      fragment: { testFile, consumer: 'x', provider: 'y', entries: [p('a', example)] },
      fresh: true,
    })
    expect(() => mergeFragments([frag('f', 1), frag('g', 2)], 'f', [], new Set())).toThrowError(
      expect.objectContaining({ code: ErrorCodes.EXPECTATION_DUPLICATE }),
    )
  })
})
