import { describe, expect, it } from 'vitest'
import { validate } from './engine.js'
import { boolean, compile, eachLike, integer, nullable, oneOf, optional, string } from './matchers.js'
import { variantsOf } from './variants.js'

function names(template: unknown, limit = 50): string[] {
  const c = compile(template)
  return variantsOf(c.schema, c.example, limit).map((v) => v.name)
}

describe('variantsOf', () => {
  it('drops each optional property in turn', () => {
    expect(names({ a: string(), b: optional(string()), c: optional(integer()) })).toEqual(
      expect.arrayContaining(['`b` is absent', '`c` is absent']),
    )
  })

  it('tries every enum value, null for nullable, and the other boolean', () => {
    const n = names({ kind: oneOf(['a', 'b', 'c']), note: nullable(string('x')), flag: boolean(false) })
    expect(n).toEqual(expect.arrayContaining(['`kind` is "b"', '`kind` is "c"', '`note` is null', '`flag` is true']))
  })

  it('sizes arrays at their minimum and maximum', () => {
    expect(names({ items: eachLike(integer(), { min: 0, max: 3 }) })).toEqual(
      expect.arrayContaining(['`items` is empty', '`items` has 3 items (its maximum)']),
    )
  })

  it('pushes numbers and string lengths to their bounds', () => {
    const n = names({ qty: integer(5, { minimum: 1, maximum: 10 }), code: string('abc', { minLength: 2, maxLength: 4 }) })
    expect(n).toEqual(
      expect.arrayContaining([
        '`qty` is 1 (its minimum)',
        '`qty` is 10 (its maximum)',
        '`code` has 2 characters (its minimum)',
        '`code` has 4 characters (its maximum)',
      ]),
    )
  })

  it('adds an optional property that the example leaves out', () => {
    const schema = { type: 'object', properties: { a: { type: 'string' }, b: { type: 'integer', minimum: 3 } } }
    const v = variantsOf(schema, { a: 'x' }, 50)
    expect(v).toContainEqual({ name: '`b` is present', value: { a: 'x', b: 3 } })
  })

  it('reaches into nested objects and array items and names the path', () => {
    const n = names({ order: { lines: eachLike({ size: oneOf(['S', 'M']) }) } })
    expect(n).toContain('`order.lines[0].size` is "M"')
  })

  it('only yields values the schema accepts, each once, shallow edits first, up to the cap', () => {
    const c = compile({ a: oneOf(['x', 'y', 'z']), b: { c: oneOf([1, 2, 3]) }, d: optional(string()) })
    const all = variantsOf(c.schema, c.example, 100)
    for (const v of all) expect(validate(c.schema, v.value)).toEqual([])
    expect(new Set(all.map((v) => JSON.stringify(v.value))).size).toBe(all.length)
    expect(all.findIndex((v) => v.name.startsWith('`b.c`'))).toBeGreaterThan(all.findIndex((v) => v.name === '`d` is absent'))
    expect(variantsOf(c.schema, c.example, 2)).toHaveLength(2)
    expect(variantsOf(c.schema, c.example, 0)).toHaveLength(0)
  })
})
