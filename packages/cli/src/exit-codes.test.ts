import { BrokerError, BrokerErrorCodes } from '@treaty/broker'
import { ErrorCodes, TreatyError } from '@treaty/core'
import { ObserveError, ObserveErrorCodes } from '@treaty/observe'
import { describe, expect, it } from 'vitest'
import { CliError, CliErrorCodes, EXIT_CODE_OF, ExitCode, exitCodeOf } from './exit-codes.js'
import { knownFailure } from './lib/failures.js'

describe('the exit-code table', () => {
  it('names every code of every package once, and nothing else', () => {
    const declared = [
      ...Object.values(ErrorCodes),
      ...Object.values(BrokerErrorCodes),
      ...Object.values(ObserveErrorCodes),
      ...Object.values(CliErrorCodes),
    ]
    expect(Object.keys(EXIT_CODE_OF).sort()).toEqual([...new Set(declared)].sort())
  })

  it('gives each kind of failure the documented exit code', () => {
    expect(exitCodeOf(ErrorCodes.CONTRACT_INVALID)).toBe(ExitCode.USAGE)
    expect(exitCodeOf(ErrorCodes.VERIFY_FAILED)).toBe(ExitCode.FAILED)
    for (const code of [
      ErrorCodes.BROKER_UNREACHABLE,
      ErrorCodes.BROKER_UNAUTHORIZED,
      ErrorCodes.BROKER_FORBIDDEN,
      ErrorCodes.BROKER_FAILED,
    ]) {
      expect(exitCodeOf(code), code).toBe(ExitCode.BROKER)
    }
    expect(exitCodeOf(ErrorCodes.BROKER_REJECTED)).toBe(ExitCode.USAGE)
    expect(exitCodeOf(BrokerErrorCodes.CONFIG_INVALID)).toBe(ExitCode.USAGE)
    expect(exitCodeOf(ObserveErrorCodes.OPTIONS_INVALID)).toBe(ExitCode.USAGE)
    expect(exitCodeOf('TREATY_NOT_A_CODE')).toBeUndefined()
    expect(exitCodeOf('constructor')).toBeUndefined()
  })
})

describe('one error family', () => {
  it('makes broker, observe and CLI errors TreatyErrors with the hint as a field, never in the message', () => {
    const errors = [
      new TreatyError(ErrorCodes.SCHEMA_INVALID, 'payload.schema.type is not valid', { hint: 'fix the keyword' }),
      new BrokerError(BrokerErrorCodes.CONFIG_INVALID, 'TREATY_PORT must be a port', { hint: 'e.g. 9292' }),
      new ObserveError(ObserveErrorCodes.OPTIONS_INVALID, '--sample must be in (0, 1]', { hint: 'e.g. --sample 0.1' }),
      new CliError('--nats is required', 'pass --nats nats://127.0.0.1:4222'),
    ]
    for (const err of errors) {
      expect(err).toBeInstanceOf(TreatyError)
      expect(err.message).not.toContain('hint')
      expect(knownFailure(err)).toEqual({ message: err.message, hint: err.hint, exitCode: ExitCode.USAGE, cause: err })
    }
  })

  it('means one thing by one code: the broker answers 401 and 403 with the codes the client raises for them', () => {
    expect(new BrokerError(BrokerErrorCodes.UNAUTHORIZED, 'no token').statusCode).toBe(401)
    expect(BrokerErrorCodes.UNAUTHORIZED).toBe(ErrorCodes.BROKER_UNAUTHORIZED)
    expect(new BrokerError(BrokerErrorCodes.FORBIDDEN, 'read token').statusCode).toBe(403)
    expect(BrokerErrorCodes.FORBIDDEN).toBe(ErrorCodes.BROKER_FORBIDDEN)
  })

  it('tells a taken port from a bug, and an unknown error from a known one', () => {
    const taken = Object.assign(new Error('listen EADDRINUSE'), { code: 'EADDRINUSE', port: 9292 })
    expect(knownFailure(taken)).toMatchObject({ message: 'port 9292 is already in use', exitCode: ExitCode.USAGE })
    expect(knownFailure(new TypeError('x is undefined'))).toBeUndefined()
    expect(knownFailure(Object.assign(new Error('x'), { code: 'TREATY_FROM_THE_FUTURE' }))).toBeUndefined()
  })
})
