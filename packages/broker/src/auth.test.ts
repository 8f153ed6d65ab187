import { describe, expect, it } from 'vitest'
import { assertTokenHygiene, mayActFor, mayOverwrite, TokenAuth } from './auth.js'
import { BrokerErrorCodes, isBrokerError } from './errors.js'
import { parseTokenEntries } from './token-file.js'

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

  it('names the level needed, with its article', () => {
    expect(() => auth.check('Bearer write-token-0123456789', 'admin')).toThrow(
      'this endpoint needs an admin token; the token given is a write token',
    )
    expect(() => auth.check(undefined, 'admin')).toThrow('with an admin token (TREATY_TOKEN for the CLI)')
    expect(() => auth.check(undefined, 'read')).toThrow('with a read token (TREATY_TOKEN for the CLI)')
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

describe('named and service-scoped tokens (tokens file, TREATY_TOKENS)', () => {
  const parse = (text: string) => parseTokenEntries(text, 'TREATY_TOKENS')
  const messageOf = (fn: () => void): string => {
    try {
      fn()
    } catch (err) {
      if (isBrokerError(err) && err.code === BrokerErrorCodes.CONFIG_INVALID) return err.message
      throw err
    }
    throw new Error('accepted')
  }

  it('reads YAML and JSON, defaulting the level to write', () => {
    const yaml = parse('tokens:\n  - name: worker-ci\n    token: worker-token-0123456789\n    services: [pdf-worker]\n')
    const json = parse('{"tokens":[{"name":"dash","token":"dash-token-0123456789","level":"read"}]}')
    expect([...yaml, ...json]).toEqual([
      { name: 'worker-ci', token: 'worker-token-0123456789', level: 'write', services: ['pdf-worker'], source: 'TREATY_TOKENS tokens[0]' },
      { name: 'dash', token: 'dash-token-0123456789', level: 'read', source: 'TREATY_TOKENS tokens[0]' },
    ])
    const auth = new TokenAuth({ admin: 'admin-token-0123456789', entries: [...yaml, ...json] })
    expect(auth.principalOf('worker-token-0123456789')).toEqual({ level: 'write', name: 'worker-ci', services: new Set(['pdf-worker']) })
    expect(auth.levelOf('dash-token-0123456789')).toBe('read')
  })

  it.each([
    ['not YAML', 'tokens: [', /TREATY_TOKENS: not valid YAML or JSON \(line/],
    ['no tokens list', 'name: x', /a "tokens" list/],
    ['an unknown field', 'tokens:\n  - { name: a, token: t-0123456789abcdef, scope: [x] }', /tokens\[0\]\.scope is not a known field/],
    ['a missing name', 'tokens:\n  - { token: t-0123456789abcdef }', /tokens\[0\]\.name must be a label/],
    [
      'a name used twice',
      'tokens:\n  - { name: a, token: t-0123456789abcdef }\n  - { name: a, token: u-0123456789abcdef }',
      /tokens\[1\]\.name "a" is used twice/,
    ],
    ['an unknown level', 'tokens:\n  - { name: a, token: t-0123456789abcdef, level: owner }', /tokens\[0\]\.level must be one of/],
    [
      'services on a read token',
      'tokens:\n  - { name: a, token: t-0123456789abcdef, level: read, services: [x] }',
      /tokens\[0\]\.services: only a write token/,
    ],
    [
      'an empty services list',
      'tokens:\n  - { name: a, token: t-0123456789abcdef, services: [] }',
      /tokens\[0\]\.services must be a non-empty list/,
    ],
    [
      'a bad service name',
      'tokens:\n  - { name: a, token: t-0123456789abcdef, services: [pdf..api] }',
      /tokens\[0\]\.services\[0\] "pdf\.\.api"/,
    ],
  ])('refuses %s, naming the field', (_name, text, message) => {
    expect(messageOf(() => parse(text))).toMatch(message)
  })

  it('never quotes a token in a parse error', () => {
    expect(messageOf(() => parse('tokens:\n  - { name: a, token: secret-0123456789abcdef'))).not.toContain('secret')
  })

  it('applies the same hygiene to named tokens as to TREATY_*_TOKEN, across both', () => {
    const entry = (token: string) => parse(`tokens:\n  - { name: ci, token: "${token}", services: [pdf-worker] }`)
    expect(messageOf(() => assertTokenHygiene({ entries: entry('short') }))).toMatch(
      /TREATY_TOKENS tokens\[0\]\.token \(ci\) is 5 characters/,
    )
    expect(messageOf(() => assertTokenHygiene({ entries: entry('has space-0123456789') }))).toMatch(
      /tokens\[0\]\.token \(ci\) contains whitespace/,
    )
    expect(messageOf(() => assertTokenHygiene({ write: 'shared-token-0123456789', entries: entry('shared-token-0123456789') }))).toMatch(
      /tokens\[0\]\.token \(ci\) is the same as TREATY_WRITE_TOKEN/,
    )
  })
})

describe('mayActFor / mayOverwrite', () => {
  const scoped = { level: 'write' as const, name: 'worker-ci', services: new Set(['pdf-worker']) }
  it('lets an unscoped token, an open broker and a token acting for its own service through', () => {
    expect(codeOf(() => mayActFor(null, 'x', [{ service: 'pdf-api', path: 'body.provider' }]))).toBeUndefined()
    expect(codeOf(() => mayActFor({ level: 'write', name: 'w' }, 'x', [{ service: 'pdf-api', path: 'p' }]))).toBeUndefined()
    expect(codeOf(() => mayActFor(scoped, 'x', [{ service: 'pdf-worker', path: 'p' }]))).toBeUndefined()
    expect(
      codeOf(() =>
        mayActFor(scoped, 'x', [
          { service: 'pdf-worker', path: 'p' },
          { service: 'pdf-api', path: 'q' },
        ]),
      ),
    ).toBe(BrokerErrorCodes.FORBIDDEN)
  })

  it('overwrite needs admin whenever tokens are configured', () => {
    expect(codeOf(() => mayOverwrite(null, true, 'body.overwrite'))).toBeUndefined()
    expect(codeOf(() => mayOverwrite({ level: 'admin', name: 'a' }, true, 'body.overwrite'))).toBeUndefined()
    expect(codeOf(() => mayOverwrite({ level: 'write', name: 'w' }, false, 'body.overwrite'))).toBeUndefined()
    expect(codeOf(() => mayOverwrite({ level: 'write', name: 'w' }, true, 'body.overwrite'))).toBe(BrokerErrorCodes.FORBIDDEN)
  })
})
