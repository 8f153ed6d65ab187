/** Maps library errors onto CLI exit codes and one-line hints. */
import { ErrorCodes, isTreatyError } from '@treaty/core/client'
import { CliError, ExitCode } from '../exit-codes.js'

export function toCliError(err: unknown): CliError | undefined {
  if (err instanceof CliError) return err
  if (!isTreatyError(err)) return otherKnown(err)
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

/** Errors of our other packages (e.g. the broker's TREATY_BROKER_CONFIG_INVALID) and common start-up failures. */
function otherKnown(err: unknown): CliError | undefined {
  const e = err as { code?: unknown; message?: string; hint?: string; port?: number }
  if (typeof e?.code !== 'string') return undefined
  if (e.code === 'EADDRINUSE')
    return new CliError(`port ${e.port ?? ''} is already in use`, ExitCode.USAGE, 'pass another --port (0 picks a free one)', {
      cause: err,
    })
  if (e.code.startsWith('TREATY_')) return new CliError(e.message ?? e.code, ExitCode.USAGE, e.hint, { cause: err })
  return undefined
}
