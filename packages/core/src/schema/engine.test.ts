import { describe, expect, it } from 'vitest'
import { ajvSource, validate } from './engine.js'

describe('the schema engine', () => {
  it("validates with the build's one-file ajv bundle: formats, the linear-time pattern engine, every error", () => {
    const schema = {
      type: 'object',
      required: ['id', 'at', 'code'],
      properties: {
        id: { type: 'string', format: 'uuid' },
        at: { type: 'string', format: 'date-time' },
        code: { type: 'string', pattern: '^(a+)+$' },
      },
    }
    expect(validate(schema, { id: '7f0c2a4e-3b1d-4c5e-9f6a-8b7c6d5e4f3a', at: '2024-01-15T10:30:00Z', code: 'aaa' })).toEqual([])
    // allErrors: both bad fields are reported; the pattern runs in linear time on a backtracking trap.
    const issues = validate(schema, { id: 'not-a-uuid', at: '2024-01-15T10:30:00Z', code: `${'a'.repeat(40)}!` })
    expect(issues.map((i) => i.pointer).sort()).toEqual(['/code', '/id'])
    // `npm run build` writes dist/vendor/ajv-2020.cjs; without it the engine would load ajv's ~100 modules.
    expect(ajvSource()).toBe('bundle')
  })

  it('compiles a schema differing from one it has compiled only in a member named __proto__ on its own', () => {
    // Validators are cached by content hash: `{}` and `{"__proto__": 1}` as one content let one stand for the other.
    expect(validate({ enum: [{}] }, {})).toEqual([])
    expect(validate(JSON.parse('{"enum":[{"__proto__":["x"]}]}'), {})).not.toEqual([])
  })
})
