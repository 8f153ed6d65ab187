import { SERVICE_NAME_PATTERN } from '@treaty/core/wire'
import { describe, expect, it } from 'vitest'
import { BrokerError, BrokerErrorCodes } from '../errors.js'
import { fieldPath, toBrokerError, validationError } from './errors.js'

describe('fieldPath', () => {
  it('turns a JSON pointer into the path error messages use', () => {
    expect(fieldPath('body', '/contracts/0/consumer')).toBe('body.contracts[0].consumer')
    expect(fieldPath('querystring', '/version')).toBe('query.version')
    expect(fieldPath('params', '')).toBe('params')
    expect(fieldPath('body', '/a~1b/c~0d')).toBe('body.a/b.c~d')
  })
})

describe('validationError', () => {
  it('names a missing field', () => {
    const err = validationError([{ keyword: 'required', instancePath: '', params: { missingProperty: 'version' } }], 'body')
    expect(err).toMatchObject({ code: BrokerErrorCodes.VALIDATION, path: 'body.version', message: 'body.version is required' })
  })

  it('names an unknown field rather than dropping it', () => {
    const err = validationError([{ keyword: 'additionalProperties', instancePath: '', params: { additionalProperty: 'overwite' } }], 'body')
    expect(err.path).toBe('body.overwite')
    expect(err.message).toContain('not a known field')
  })

  it('explains a name pattern in words and shows what was found', () => {
    const err = validationError(
      [{ keyword: 'pattern', instancePath: '/consumer', params: { pattern: SERVICE_NAME_PATTERN }, data: '../etc/passwd' }],
      'body',
    )
    expect(err.path).toBe('body.consumer')
    expect(err.message).toContain('letters, digits')
    expect(err.message).toContain('"../etc/passwd"')
  })
})

describe('toBrokerError', () => {
  it('keeps broker errors as they are', () => {
    const e = new BrokerError(BrokerErrorCodes.CONTRACT_CONFLICT, 'x')
    expect(toBrokerError(e, 'c1', 1024)).toBe(e)
  })

  it('maps body size and media type errors to 413 and 415', () => {
    expect(toBrokerError({ code: 'FST_ERR_CTP_BODY_TOO_LARGE', statusCode: 413 }, 'c1', 2048)).toMatchObject({
      statusCode: 413,
      code: BrokerErrorCodes.BODY_TOO_LARGE,
    })
    expect(toBrokerError({ code: 'FST_ERR_CTP_INVALID_MEDIA_TYPE', statusCode: 415 }, 'c1', 2048).statusCode).toBe(415)
  })

  it('maps a lost database connection to 503, and anything unknown to a 500 that hides the details', () => {
    expect(toBrokerError(Object.assign(new Error('Connection terminated unexpectedly'), {}), 'c1', 1024).statusCode).toBe(503)
    const internal = toBrokerError(new Error('relation "x" does not exist at /srv/secret.sql'), 'corr-42', 1024)
    expect(internal.statusCode).toBe(500)
    expect(internal.message).not.toContain('secret')
    expect(internal.message).toContain('corr-42')
  })
})
