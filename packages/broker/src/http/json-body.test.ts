import { describe, expect, it } from 'vitest'
import { BrokerErrorCodes } from '../errors.js'
import { assertStorable, MAX_BODY_DEPTH, repeatedName, scanText } from './json-body.js'

const codeOf = (fn: () => void) => {
  try {
    fn()
  } catch (err) {
    return { code: (err as { code?: string }).code, path: (err as { path?: string }).path }
  }
  return undefined
}

describe('JSON body checks', () => {
  it('refuses nesting beyond the limit, counting only brackets outside strings', () => {
    const deep = `${'['.repeat(MAX_BODY_DEPTH + 1)}${']'.repeat(MAX_BODY_DEPTH + 1)}`
    expect(codeOf(() => scanText(deep))?.code).toBe(BrokerErrorCodes.LIMIT_EXCEEDED)
    expect(codeOf(() => scanText(`${'['.repeat(MAX_BODY_DEPTH)}${']'.repeat(MAX_BODY_DEPTH)}`))).toBeUndefined()
    expect(codeOf(() => scanText(JSON.stringify({ s: `\\"${'['.repeat(1000)}` })))).toBeUndefined()
  })

  it('finds a member name given twice in one object, and names where', () => {
    // As the parser does: names counted in the text against members of the parsed value, then the walk that names one.
    const found = (text: string) => {
      if (scanText(text) === assertStorable(JSON.parse(text), 'body')) return undefined
      const err = repeatedName(text)
      return err && { code: err.code, path: err.path }
    }
    expect(found('{"version":"9.9.9","version":"5.0.0"}')).toEqual({ code: BrokerErrorCodes.VALIDATION, path: 'body.version' })
    expect(found('{"contracts":[{"a":1},{"consumer":"x","b":[1,2],"consumer":"y"}]}')?.path).toBe('body.contracts[1].consumer')
    expect(found('{"a":{"x y":1,"x y":2}}')?.path).toBe('body.a["x y"]')
    // The same name once escaped: JSON readers see one name.
    expect(found('{"a":1,"\\u0061":2}')?.path).toBe('body.a')
    // Names holding escaped quotes and backslashes, and a repeat inside an array of objects in an array.
    expect(found('{"say \\"hi\\"":1,"say \\"hi\\"":2}')?.path).toBe('body["say \\"hi\\""]')
    expect(found('{"a\\\\":1,"a\\\\":2}')?.path).toBe('body["a\\\\"]')
    expect(found('{"y":[[{"k":1,"k":2}]]}')?.path).toBe('body.y[0][0].k')
    expect(found('{"y":[{"k":1},{"j":{"k":1,"k":1}}]}')?.path).toBe('body.y[1].j.k')
    // Not repeats: the same name in different objects, values equal to names, names inside string values.
    expect(found('{"a":{"b":1},"b":{"b":2},"c":[{"b":1},{"b":1}]}')).toBeUndefined()
    expect(found('{"a":"a","b":"a","c":["a","a"]}')).toBeUndefined()
    expect(found(JSON.stringify({ a: '{"a":1,"a":2}', b: 'x\\",' }))).toBeUndefined()
    expect(found('[{"a":1},{"a":1}]')).toBeUndefined()
  })

  it('names the first value that cannot be stored unchanged: non-finite numbers, NUL, lone surrogates', () => {
    expect(codeOf(() => assertStorable(JSON.parse('{"a":[1,1e400]}'), 'body'))).toEqual({
      code: BrokerErrorCodes.BODY_UNSTORABLE_VALUE,
      path: 'body.a[1]',
    })
    expect(codeOf(() => assertStorable({ channel: 'a\u0000b' }, 'body'))?.path).toBe('body.channel')
    expect(codeOf(() => assertStorable({ d: 'x\uD800' }, 'body'))?.path).toBe('body.d')
    expect(codeOf(() => assertStorable({ 'k\uDC00': 1 }, 'body'))?.code).toBe(BrokerErrorCodes.BODY_UNSTORABLE_VALUE)
    expect(codeOf(() => assertStorable({ emoji: '😀', n: 1.5e308, s: 'ok' }, 'body'))).toBeUndefined()
  })
})
