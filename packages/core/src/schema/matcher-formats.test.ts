import { createRequire } from 'node:module'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { MATCHER_FORMATS } from './matcher-formats.js'

const { fullFormats } = createRequire(import.meta.url)('ajv-formats/dist/formats.js') as {
  fullFormats: Record<string, RegExp | ((s: string) => boolean) | { validate: RegExp | ((s: string) => boolean) }>
}
function ajvFormats(name: string): (s: string) => boolean {
  const def = fullFormats[name]
  const test = def instanceof RegExp || typeof def === 'function' ? def : (def as { validate: RegExp | ((s: string) => boolean) }).validate
  return test instanceof RegExp ? (s) => test.test(s) : test
}

const digits = (n: number) => fc.array(fc.constantFrom(...'0123456789'), { minLength: n, maxLength: n }).map((d) => d.join(''))
const dateLike = fc.tuple(digits(4), digits(2), digits(2)).map(([y, m, d]) => `${y}-${m}-${d}`)
const timeLike = fc
  .tuple(
    digits(2),
    digits(2),
    digits(2),
    fc.constantFrom('', '.5', '.123'),
    fc.constantFrom('', 'Z', 'z', '+01:00', '-23:59', '+2400', '-00:60', '+05'),
  )
  .map(([h, m, s, frac, tz]) => `${h}:${m}:${s}${frac}${tz}`)
const strings = fc.oneof(
  dateLike,
  timeLike,
  fc.tuple(dateLike, fc.constantFrom('T', 't', ' ', 'x', 'TT'), timeLike).map(([d, sep, t]) => `${d}${sep}${t}`),
  fc.uuid().map((u) => u),
  fc.uuid().map((u) => `urn:uuid:${u.toUpperCase()}`),
  fc.stringMatching(/^[0-9a-fA-F-]{30,40}$/),
  fc.constantFrom(
    '2024-02-29',
    '2023-02-29',
    '2000-02-29',
    '1900-02-29',
    '1998-12-31T23:59:60Z',
    '1998-12-31T15:59:60-08:00',
    '2024-01-15T23:59:60+01:00',
  ),
  fc.string(),
)

describe('the matchers’ formats', () => {
  it('answer as ajv-formats’ own functions do, on generated strings', () => {
    fc.assert(
      fc.property(strings, (s) => {
        for (const [name, test] of MATCHER_FORMATS) expect(test(s), `${name} ${JSON.stringify(s)}`).toBe(ajvFormats(name)(s))
      }),
      { numRuns: 5000 },
    )
  })
})
