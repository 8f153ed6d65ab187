/** Exit codes, documented in `treaty --help` and the README. */
export const ExitCode = {
  /** Done; deployable; verification passed (pending failures only warn). */
  OK: 0,
  /** Verification failed, or not deployable. */
  FAILED: 1,
  /** Usage or configuration error: fix the command line, the config file or the contract files. */
  USAGE: 2,
  /** Broker unreachable, not a Treaty broker, or it rejected the credentials. */
  BROKER: 3,
  /** Internal error: a bug in treaty, never a verdict on the contracts. */
  INTERNAL: 4,
} as const

export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode]

export const EXIT_CODES_HELP =
  'Exit codes: 0 ok / deployable, 1 verification failed / not deployable, 2 usage or config error, 3 broker unreachable, not a Treaty broker or credentials rejected, 4 internal error'

/** A user-facing failure: printed as one line plus a hint, never a stack (unless --debug). */
export class CliError extends Error {
  readonly exitCode: ExitCode
  readonly hint: string | undefined

  constructor(message: string, exitCode: ExitCode, hint?: string, options?: { cause?: unknown }) {
    super(message, options)
    this.name = 'CliError'
    this.exitCode = exitCode
    this.hint = hint
  }
}
