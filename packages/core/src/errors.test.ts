import { describe, expect, it } from 'vitest'
import { ErrorCodes, TreatyError, withHintShown } from './errors.js'
import { regex } from './schema/matchers.js'

describe('withHintShown', () => {
  it('ends the message and the stack’s first lines with the hint, once, keeping code and frames', () => {
    const error = new TreatyError(ErrorCodes.MATCHER_INVALID, 'bad matcher', { hint: 'fix it', path: 'payload.a' })
    const frames = error.stack?.split('\n').slice(1)
    expect(withHintShown(withHintShown(error))).toBe(error)
    expect(error.message).toBe('bad matcher\n  hint: fix it')
    expect(error.stack?.split('\n').slice(0, 2)).toEqual(['TreatyError: bad matcher', '  hint: fix it'])
    expect(error.stack?.split('\n').slice(2)).toEqual(frames)
    expect(error).toMatchObject({ code: ErrorCodes.MATCHER_INVALID, hint: 'fix it', path: 'payload.a' })
  })

  it('leaves other errors and a TreatyError without a hint as they are', () => {
    const plain = new Error('x')
    expect(withHintShown(plain).message).toBe('x')
    expect(withHintShown(new TreatyError(ErrorCodes.MATCHER_INVALID, 'y')).message).toBe('y')
    expect(withHintShown('text')).toBe('text')
  })

  it('is what the consumer DSL throws, since a test runner shows only the message', () => {
    expect(() => regex(/a/i, 'a')).toThrow('hint: write the pattern without flags')
  })
})
