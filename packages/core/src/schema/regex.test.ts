import { performance } from 'node:perf_hooks'
import { describe, expect, it } from 'vitest'
import { isTreatyError } from '../errors.js'
import { checkCompatibility } from './compat/index.js'
import { validate } from './engine.js'
import { linearRegExp, patternMatches, UnsupportedPatternError } from './regex.js'

describe('the linear-time regex engine', () => {
  it('matches as JSON Schema patterns do: a search, anchors only when written', () => {
    expect(patternMatches('^[a-z]+-\\d{2}$', 'pdf-42')).toBe(true)
    expect(patternMatches('^[a-z]+-\\d{2}$', 'pdf-4')).toBe(false)
    expect(patternMatches('b', 'abc')).toBe(true)
    expect(patternMatches('^\\p{Lu}', 'Émile')).toBe(true)
    expect(patternMatches('^.$', '😀')).toBe(true)
  })

  it('refuses backreferences and lookaround instead of running them by backtracking', () => {
    expect(() => linearRegExp('^(a)\\1$')).toThrow(UnsupportedPatternError)
    expect(() => linearRegExp('^(?=a)')).toThrow(UnsupportedPatternError)
    expect(patternMatches('(?!x)', 'y')).toBeUndefined()
  })

  // A backtracking engine needs about 2^40 steps here (hours); RE2 is linear in the input.
  it('answers a catastrophic-backtracking pattern on a hostile input in well under a second', () => {
    const hostile = `${'a'.repeat(40)}!`
    const start = performance.now()
    expect(validate({ type: 'string', pattern: '^(a+)+$' }, hostile)).toHaveLength(1)
    expect(patternMatches('^(a|aa)*$', hostile)).toBe(false)
    expect(performance.now() - start).toBeLessThan(1000)
  })

  it('an unsupported pattern in a schema is an invalid schema (TREATY_SCHEMA_INVALID), not a crash', () => {
    let caught: unknown
    try {
      validate({ type: 'string', pattern: '(a)\\1' }, 'aa')
    } catch (err) {
      caught = err
    }
    expect(isTreatyError(caught) && caught.code).toBe('TREATY_SCHEMA_INVALID')
  })
})

describe('the compatibility engine matches property names with the same engine', () => {
  // The review's stored variant: a consumer's patternProperties regex and a provider's property name made
  // every can-i-deploy stall for over a second (doubling per character). With RE2 it is immediate.
  it('checks a hostile patternProperties regex against a hostile property name in well under a second', () => {
    const name = `${'a'.repeat(40)}!`
    const writer = { type: 'object', properties: { [name]: { type: 'string' } }, required: [name], additionalProperties: false }
    const reader = { type: 'object', patternProperties: { '^(a+)+$': { type: 'integer' } } }
    const start = performance.now()
    const result = checkCompatibility(writer, reader)
    expect(performance.now() - start).toBeLessThan(1000)
    // The name does not match (it ends in "!"), so the reader's integer rule does not apply to it.
    expect(result.compatible).toBe(true)
  })
})
