/**
 * What a command decides: an exit code and the lines to print, returned instead of written to
 * `process.stdout` / `process.exitCode` as a side effect. `run()` collects them and `main()` writes them, so the
 * CLI can run any number of times in one process (a test, a script) with independent results.
 *
 * Output that must appear while a command is still running — a progress line, an observer's notices, a
 * server's URL — streams through `Io` at once and is not part of the verdict.
 */
import { ExitCode } from './exit-codes.js'
import type { Printer } from './output.js'

export type Stream = 'stdout' | 'stderr'

export interface Line {
  readonly stream: Stream
  /** The text, with its newline. */
  readonly text: string
}

export interface Verdict {
  readonly exitCode: ExitCode
  /** In the order printed: stdout and stderr interleave as they would on a terminal. */
  readonly output: readonly Line[]
}

/** Where output goes: the process's streams by default, anything in a test or a script. */
export interface Io {
  write(stream: Stream, text: string): void
  /** stdout is a terminal (progress lines, colour). */
  readonly tty: boolean
  readonly color: boolean
  /** Terminal width, for help text. */
  readonly columns?: number | undefined
}

/** The process's stdout and stderr; colour only on a TTY and never with NO_COLOR or TERM=dumb. */
export function processIo(env: NodeJS.ProcessEnv = process.env): Io {
  const tty = Boolean(process.stdout.isTTY)
  return {
    write: (stream, text) => void process[stream].write(text),
    tty,
    color: tty && !('NO_COLOR' in env) && env.TERM !== 'dumb',
    columns: process.stdout.columns,
  }
}

/** The lines a command has decided to print so far; `verdict()` closes them with an exit code. */
export class Report implements Printer {
  readonly lines: Line[] = []
  readonly color: boolean
  readonly tty: boolean
  /** Prints at once, for output that cannot wait for the verdict. */
  readonly live: Printer

  constructor(readonly io: Io) {
    this.color = io.color
    this.tty = io.tty
    this.live = {
      out: (line = '') => io.write('stdout', `${line}\n`),
      err: (line = '') => io.write('stderr', `${line}\n`),
      color: io.color,
      tty: io.tty,
    }
  }

  out(line = ''): void {
    this.lines.push({ stream: 'stdout', text: `${line}\n` })
  }

  err(line = ''): void {
    this.lines.push({ stream: 'stderr', text: `${line}\n` })
  }

  /** Raw text (help output carries its own newlines). */
  text(stream: Stream, text: string): void {
    if (text) this.lines.push({ stream, text })
  }

  /** A printer whose `out` goes to stderr: with --json, stdout carries the document and nothing else. */
  toStderr(): Printer {
    return { out: (line) => this.err(line), err: (line) => this.err(line), color: this.color, tty: this.tty }
  }

  /** `--json`: the document on stdout, and the verdict. */
  json(value: unknown, exitCode: ExitCode = ExitCode.OK): Verdict {
    this.out(JSON.stringify(value, null, 2))
    return this.verdict(exitCode)
  }

  verdict(exitCode: ExitCode = ExitCode.OK): Verdict {
    return { exitCode, output: [...this.lines] }
  }
}

/** Everything a verdict prints on one stream. */
export function printed(verdict: Verdict, stream: Stream): string {
  return verdict.output
    .filter((l) => l.stream === stream)
    .map((l) => l.text)
    .join('')
}
