/** Turns what a command threw into what the CLI prints and exits with; exit codes come from the one table. */
import { CliError, CliErrorCodes, type ExitCode, exitCodeOf } from '../exit-codes.js'

/** A known failure, shown as one line and its hint. */
export interface KnownFailure {
  message: string
  hint: string | undefined
  exitCode: ExitCode
  cause: unknown
}

export function knownFailure(err: unknown): KnownFailure | undefined {
  const e = err as { code?: unknown; message?: unknown; hint?: unknown; port?: number } | null | undefined
  if (typeof e?.code !== 'string') return undefined
  if (e.code === 'EADDRINUSE') {
    const known = new CliError(`port ${e.port ?? ''} is already in use`, 'pass another --port (0 picks a free one)', {
      code: CliErrorCodes.PORT_IN_USE,
      cause: err,
    })
    return { message: known.message, hint: known.hint, exitCode: known.exitCode, cause: err }
  }
  // Any package's TreatyError (core, broker, observe, cli), found by its code: the table says what it means.
  const exitCode = exitCodeOf(e.code)
  if (exitCode === undefined) return undefined
  return {
    message: typeof e.message === 'string' ? e.message : e.code,
    hint: typeof e.hint === 'string' ? e.hint : undefined,
    exitCode,
    // --debug shows where it went wrong: under a CliError that wraps a failure, that is the failure.
    cause: err instanceof CliError && err.cause !== undefined ? err.cause : err,
  }
}
