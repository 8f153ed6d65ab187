import { describe, expect, it } from 'vitest'
import { BrokerErrorCodes } from '../errors.js'
import { assertDepth, assertStorable, MAX_BODY_DEPTH } from './json-body.js'

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
    expect(codeOf(() => assertDepth(deep))?.code).toBe(BrokerErrorCodes.LIMIT_EXCEEDED)
    expect(codeOf(() => assertDepth(`${'['.repeat(MAX_BODY_DEPTH)}${']'.repeat(MAX_BODY_DEPTH)}`))).toBeUndefined()
    expect(codeOf(() => assertDepth(JSON.stringify({ s: `\\"${'['.repeat(1000)}` })))).toBeUndefined()
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
