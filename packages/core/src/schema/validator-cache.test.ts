import { Ajv2020 } from 'ajv/dist/2020.js'
import { describe, expect, it } from 'vitest'
import { ValidatorCache } from './validator-cache.js'

describe('ValidatorCache', () => {
  it('holds at most `max` validators and starts a fresh ajv instance every `max` compilations', () => {
    const created: Ajv2020[] = []
    const cache = new ValidatorCache(() => {
      const ajv = new Ajv2020()
      created.push(ajv)
      return ajv
    }, 10)
    for (let i = 0; i < 35; i++) cache.get(`k${i}`, { const: i })
    expect(cache.size).toBe(10)
    expect(created).toHaveLength(4)
  })

  it('answers a cached schema without compiling again, and keeps recently used ones', () => {
    let compiles = 0
    const cache = new ValidatorCache(() => {
      const ajv = new Ajv2020()
      const compile = ajv.compile.bind(ajv)
      ajv.compile = ((schema: object) => {
        compiles++
        return compile(schema)
      }) as typeof ajv.compile
      return ajv
    }, 2)
    const a = cache.get('a', { type: 'string' })
    cache.get('b', { type: 'number' })
    expect(cache.get('a', { type: 'string' })).toBe(a)
    cache.get('c', { type: 'boolean' })
    expect(cache.get('a', { type: 'string' })).toBe(a)
    expect(compiles).toBe(3)
    expect(a('x')).toBe(true)
  })
})
