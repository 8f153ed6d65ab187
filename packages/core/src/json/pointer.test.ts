import { describe, expect, it } from 'vitest'
import {
  childPointer,
  escapeToken,
  fragmentToPointer,
  parsePointer,
  pointerToPath,
  renderPointer,
  resolvePointer,
  unescapeToken,
} from './pointer.js'

describe('JSON pointers (RFC 6901)', () => {
  it('escape ~ before / so that every key survives the round trip', () => {
    expect(escapeToken('a/b~c')).toBe('a~1b~0c')
    expect(escapeToken('~1')).toBe('~01')
    expect(unescapeToken('~01')).toBe('~1')
    for (const key of ['', 'plain', 'a/b', '~', '~0', '~1', '/~/', '0']) expect(parsePointer(renderPointer([key]))).toEqual([key])
  })

  it('parse the root as no keys and refuse text that is not a pointer', () => {
    expect(parsePointer('')).toEqual([])
    expect(parsePointer('/')).toEqual([''])
    expect(parsePointer('/items/0/a~1b')).toEqual(['items', '0', 'a/b'])
    expect(() => parsePointer('items/0')).toThrow(SyntaxError)
  })

  it('render keys and indexes, and extend a pointer by one key', () => {
    expect(renderPointer([])).toBe('')
    expect(renderPointer(['items', 0, 'a/b'])).toBe('/items/0/a~1b')
    expect(childPointer('/items', 'x~y')).toBe('/items/x~0y')
    expect(childPointer('', 3)).toBe('/3')
  })

  it('read a URI fragment as a pointer, percent-decoded, and nothing else', () => {
    expect(fragmentToPointer('#')).toBe('')
    expect(fragmentToPointer('#/$defs/a%20b')).toBe('/$defs/a b')
    expect(fragmentToPointer('#/a~1b')).toBe('/a~1b')
    expect(fragmentToPointer('/properties/x')).toBe('/properties/x')
    expect(fragmentToPointer('#anchor')).toBeUndefined()
    expect(fragmentToPointer('#/bad%')).toBeUndefined()
  })

  it('resolve own members and array items only', () => {
    const doc = { a: [{ 'b/c': 1 }], 'x~': null }
    expect(resolvePointer(doc, '')).toBe(doc)
    expect(resolvePointer(doc, '/a/0/b~1c')).toBe(1)
    expect(resolvePointer(doc, '/x~0')).toBeNull()
    expect(resolvePointer(doc, '/a/1')).toBeUndefined()
    expect(resolvePointer(doc, '/a/0/b~1c/d')).toBeUndefined()
    expect(resolvePointer(doc, '/constructor')).toBeUndefined()
    expect(resolvePointer(doc, '/__proto__')).toBeUndefined()
  })

  it('render the path people read in errors, under an optional base', () => {
    expect(pointerToPath('')).toBe('(root)')
    expect(pointerToPath('', 'params')).toBe('params')
    expect(pointerToPath('/expectations/2/channel')).toBe('expectations[2].channel')
    expect(pointerToPath('/0/a')).toBe('[0].a')
    expect(pointerToPath('/contracts/0/consumer', 'body')).toBe('body.contracts[0].consumer')
    expect(pointerToPath('/a~1b/c~0d', 'body')).toBe('body.a/b.c~d')
  })
})
