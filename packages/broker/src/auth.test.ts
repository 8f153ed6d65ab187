import { describe, expect, it } from 'vitest'
import { assertTokenHygiene, TokenAuth } from './auth.js'
import { BrokerErrorCodes, isBrokerError } from './errors.js'

const auth = new TokenAuth({ read: 'read-token-0123456789', write: 'write-token-0123456789', admin: 'admin-token-0123456789' })

function codeOf(fn: () => void): string | undefined {
  try {
    fn()
    return undefined
  } catch (err) {
    if (isBrokerError(err)) return err.code
    throw err
  }
}

describe('TokenAuth', () => {
  it('is open when no token is configured', () => {
    const open = new TokenAuth({})
    expect(open.enabled).toBe(false)
    expect(codeOf(() => open.check(undefined, 'admin'))).toBeUndefined()
  })

  it('grants each token its level, higher levels including lower ones', () => {
    expect(auth.levelOf('read-token-0123456789')).toBe('read')
    expect(auth.levelOf('admin-token-0123456789')).toBe('admin')
    expect(codeOf(() => auth.check('Bearer write-token-0123456789', 'read'))).toBeUndefined()
    expect(codeOf(() => auth.check('bearer admin-token-0123456789', 'write'))).toBeUndefined()
  })

  it('answers 401 without a token or with an unknown one, 403 with one too weak', () => {
    expect(codeOf(() => auth.check(undefined, 'read'))).toBe(BrokerErrorCodes.UNAUTHORIZED)
    expect(codeOf(() => auth.check('Basic abc', 'read'))).toBe(BrokerErrorCodes.UNAUTHORIZED)
    expect(codeOf(() => auth.check('Bearer read-token-012345678', 'read'))).toBe(BrokerErrorCodes.UNAUTHORIZED)
    expect(codeOf(() => auth.check('Bearer read-token-0123456789x', 'read'))).toBe(BrokerErrorCodes.UNAUTHORIZED)
    expect(codeOf(() => auth.check('Bearer read-token-0123456789', 'write'))).toBe(BrokerErrorCodes.FORBIDDEN)
    expect(codeOf(() => auth.check('Bearer write-token-0123456789', 'admin'))).toBe(BrokerErrorCodes.FORBIDDEN)
  })

  it('with only an admin token, reading needs the admin token too', () => {
    const adminOnly = new TokenAuth({ admin: 'admin-token-0123456789' })
    expect(codeOf(() => adminOnly.check(undefined, 'read'))).toBe(BrokerErrorCodes.UNAUTHORIZED)
    expect(codeOf(() => adminOnly.check('Bearer admin-token-0123456789', 'read'))).toBeUndefined()
  })

  it('when two levels share a token, it grants the higher one', () => {
    expect(new TokenAuth({ read: 'same-token-0123456789', admin: 'same-token-0123456789' }).levelOf('same-token-0123456789')).toBe('admin')
  })
})

describe('token hygiene at start', () => {
  it.each([
    ['a short token', { write: 'w' }],
    ['whitespace', { read: 'read-token-0123456789 ' }],
    ['one token for two levels', { read: 'same-token-0123456789', admin: 'same-token-0123456789' }],
  ])('refuses %s (TREATY_BROKER_CONFIG_INVALID)', (_name, tokens) => {
    expect(codeOf(() => assertTokenHygiene(tokens))).toBe(BrokerErrorCodes.CONFIG_INVALID)
  })

  it('accepts distinct tokens of 16 characters or more, and none at all', () => {
    expect(codeOf(() => assertTokenHygiene({ read: 'read-token-0123456789', write: 'write-token-0123456789' }))).toBeUndefined()
    expect(codeOf(() => assertTokenHygiene({}))).toBeUndefined()
  })
})
