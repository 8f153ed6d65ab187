import { describe, expect, it } from 'vitest'
import { preview } from './preview.js'

describe('preview', () => {
  it('shows a value as JSON, cut to the length asked for with an ellipsis', () => {
    expect(preview({ a: 'x' })).toBe('{"a":"x"}')
    expect(preview('x'.repeat(100))).toBe(`"${'x'.repeat(78)}…`)
    expect(preview('x'.repeat(100), 10)).toHaveLength(10)
  })

  it('never throws, whatever it is given', () => {
    const cycle: Record<string, unknown> = {}
    cycle.self = cycle
    expect(preview(undefined)).toBe('undefined')
    expect(preview(10n)).toBe('10')
    expect(preview(cycle)).toBe('[object Object]')
    expect(preview(Symbol('s'))).toBe('Symbol(s)')
    expect(preview(() => 1)).toBe('() => 1')
    expect(preview(Object.create(null))).toBe('{}')
  })
})
