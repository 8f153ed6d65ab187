/** Maps library errors onto CLI exit codes and one-line hints. */
import { ErrorCodes, isTreatyError } from '@treaty/core'
import { CliError, ExitCode } from '../exit-codes.js'

export function toCliError(err: unknown): CliError | undefined {
  if (err instanceof CliError) return err
  if (!isTreatyError(err)) return undefined
  const [first = err.message] = err.message.split('\n  hint: ')
  switch (err.code) {
    case ErrorCodes.BROKER_UNREACHABLE:
    case ErrorCodes.BROKER_UNAUTHORIZED:
    case ErrorCodes.BROKER_FAILED:
      return new CliError(first, ExitCode.BROKER, err.hint, { cause: err })
    default:
      return new CliError(first, ExitCode.USAGE, err.hint, { cause: err })
  }
}
