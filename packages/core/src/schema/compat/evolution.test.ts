import { describe, expect, it } from 'vitest'
import type { JsonSchema } from '../../json/types.js'
import { checkEvolution, EVOLUTION_MODES, type EvolutionMode, isEvolutionMode } from './index.js'

const closed = (properties: Record<string, JsonSchema>, required: string[]) => ({
  type: 'object',
  properties,
  required,
  additionalProperties: false,
})

const v1 = closed({ id: { type: 'string' } }, ['id'])
const v2 = closed({ id: { type: 'string' }, note: { type: 'string' } }, ['id'])
const v3 = closed({ id: { type: 'string' }, note: { type: 'string' } }, ['id', 'note'])
const idOf = (maxLength: number) => closed({ id: { type: 'string', maxLength } }, ['id'])

/** "direction writer->reader verdict" per check, in order. */
function summary(history: JsonSchema[], mode: EvolutionMode) {
  const result = checkEvolution(history, mode)
  expect(result.mode).toBe(mode)
  return { compatible: result.compatible, checks: result.checks.map((c) => `${c.direction} ${c.writer}->${c.reader} ${c.compatible}`) }
}

describe('checkEvolution', () => {
  it('backward: the new schema reads data written with the previous one', () => {
    expect(summary([v1, v2], 'backward')).toEqual({ compatible: true, checks: ['backward 0->1 true'] })
    const broken = checkEvolution([v2, v3], 'backward')
    expect(broken.compatible).toBe(false)
    expect(broken.checks[0]?.differences.map((d) => [d.pointer, d.kind])).toEqual([['/note', 'REQUIRED_PROPERTY_ADDED']])
  })

  it('forward: the previous schema reads data written with the new one', () => {
    const broken = checkEvolution([v1, v2], 'forward')
    expect(broken.checks.map((c) => [c.writer, c.reader])).toEqual([[1, 0]])
    expect(broken.checks[0]?.differences.map((d) => [d.pointer, d.kind])).toEqual([['/note', 'ADDITIONAL_PROPERTIES_NARROWED']])
    expect(summary([v2, v3], 'forward')).toEqual({ compatible: true, checks: ['forward 1->0 true'] })
  })

  it('full: both directions against the previous version', () => {
    expect(summary([v1, v2], 'full')).toEqual({ compatible: false, checks: ['backward 0->1 true', 'forward 1->0 false'] })
    expect(summary([v1, v2, v2], 'full')).toEqual({ compatible: true, checks: ['backward 1->2 true', 'forward 2->1 true'] })
  })

  it('backward_transitive: the new schema must read data of every earlier version', () => {
    const history = [idOf(8), idOf(4), idOf(6)]
    expect(summary(history, 'backward')).toEqual({ compatible: true, checks: ['backward 1->2 true'] })
    expect(summary(history, 'backward_transitive')).toEqual({ compatible: false, checks: ['backward 0->2 false', 'backward 1->2 true'] })
  })

  it('forward_transitive: every earlier version must read data of the new one', () => {
    const history = [idOf(4), idOf(8), idOf(6)]
    expect(summary(history, 'forward')).toEqual({ compatible: true, checks: ['forward 2->1 true'] })
    expect(summary(history, 'forward_transitive')).toEqual({ compatible: false, checks: ['forward 2->0 false', 'forward 2->1 true'] })
  })

  it('full_transitive: both directions against every earlier version', () => {
    expect(summary([idOf(8), idOf(4), idOf(6)], 'full_transitive')).toEqual({
      compatible: false,
      checks: ['backward 0->2 false', 'forward 2->0 true', 'backward 1->2 true', 'forward 2->1 false'],
    })
    expect(summary([idOf(6), idOf(6), idOf(6)], 'full_transitive').compatible).toBe(true)
  })

  it('treats a history of one version as compatible and rejects unknown modes', () => {
    for (const mode of EVOLUTION_MODES) expect(checkEvolution([v1], mode)).toEqual({ mode, compatible: true, checks: [] })
    expect(checkEvolution([], 'full').compatible).toBe(true)
    expect(isEvolutionMode('full_transitive')).toBe(true)
    expect(isEvolutionMode('none')).toBe(false)
    expect(() => checkEvolution([v1, v2], 'sideways' as EvolutionMode)).toThrowError(
      expect.objectContaining({ code: 'TREATY_COMPAT_MODE_INVALID' }),
    )
  })
})
