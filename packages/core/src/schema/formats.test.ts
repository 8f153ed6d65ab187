import { describe, expect, it } from 'vitest'
import { validate, validatorFor } from './engine.js'
import { rememberLast } from './formats.js'

describe('format and pattern tests that remember their last answer', () => {
  it('run a test once for a repeated input, and again for any other input or a long one', () => {
    const inputs: string[] = []
    const test = rememberLast((s: string) => {
      inputs.push(s)
      return s.startsWith('ok')
    })
    expect([test('ok-1'), test('ok-1'), test('no'), test('ok-1')]).toEqual([true, true, false, true])
    expect(inputs).toEqual(['ok-1', 'no', 'ok-1'])
    const long = `ok${'x'.repeat(300)}`
    expect([test(long), test(long)]).toEqual([true, true])
    expect(inputs.slice(3)).toEqual([long, long])
  })

  // What the guard and the observer do: several consumers' validators, one message after another.
  it('give every validator the right answer whatever the order of valid and invalid values', () => {
    const schema = (extra: string) => ({
      type: 'object',
      properties: {
        id: { type: 'string', format: 'uuid' },
        at: { type: 'string', format: 'date-time' },
        currency: { type: 'string', pattern: '^[A-Z]{3}$' },
        count: { type: 'integer', format: 'int32' },
        [extra]: { type: 'string' },
      },
    })
    const validators = [validatorFor(schema('a')), validatorFor(schema('b'))]
    const good = { id: '7f0c2a4e-3b1d-4c5e-9f6a-000000000001', at: '2026-01-15T10:30:00.000Z', currency: 'EUR', count: 1 }
    const cases: [Record<string, unknown>, boolean][] = [
      [good, true],
      [{ ...good, currency: 'eur' }, false],
      [good, true],
      [{ ...good, id: '7f0c2a4e-3b1d-4c5e-9f6a-00000000000z' }, false],
      [{ ...good, at: '2026-02-30T10:30:00.000Z' }, false],
      [{ ...good, count: 2 ** 31 }, false],
      [good, true],
      [{ ...good, currency: `${'E'.repeat(300)}` }, false],
      [{ ...good, currency: `${'E'.repeat(300)}` }, false],
      [good, true],
    ]
    for (const [message, valid] of cases) for (const v of validators) expect(v(message)).toBe(valid)
    expect(validate(schema('a'), { ...good, currency: 'eur' }).map((i) => i.pointer)).toEqual(['/currency'])
  })
})
