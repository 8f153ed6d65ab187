/**
 * The `treaty` command line: a table of commands over the programmatic API (src/index.ts).
 * Command modules load their implementation only when run, so `treaty --help` stays fast.
 */
import type { TreatyCommand } from './command.js'
import { brokerCommand } from './commands/broker.js'
import { canIDeployCommand } from './commands/can-i-deploy.js'
import { channelCommand } from './commands/channel.js'
import { codegenCommand } from './commands/codegen.js'
import { compatCommand } from './commands/compat.js'
import { configCommand } from './commands/config.js'
import { contractsCommand } from './commands/contracts.js'
import { deleteCommandGroup } from './commands/delete.js'
import { environmentCommand } from './commands/environment.js'
import { exportCommand } from './commands/export.js'
import { impactCommand } from './commands/impact.js'
import { importCommand } from './commands/import.js'
import { recordReleaseCommand, recordSupportEndedCommand, recordUndeploymentCommand } from './commands/lifecycle.js'
import { observeCommand } from './commands/observe.js'
import { publishCommand } from './commands/publish.js'
import { publishProviderSchemaCommand } from './commands/publish-provider-schema.js'
import { recordDeploymentCommand } from './commands/record-deployment.js'
import { serviceCommand } from './commands/service.js'
import { verifyCommand } from './commands/verify.js'
import { versionCommand } from './commands/version.js'
import { CliError, EXIT_CODES_HELP, ExitCode } from './exit-codes.js'
import { globalOptions } from './options.js'
import { parse } from './program.js'
import { usageError } from './usage-errors.js'
import { type Io, processIo, Report, type Verdict } from './verdict.js'

// Each module types its own arguments; the table only needs them as commands.
export const commands = [
  publishCommand,
  verifyCommand,
  canIDeployCommand,
  recordDeploymentCommand,
  versionCommand,
  serviceCommand,
  recordUndeploymentCommand,
  recordReleaseCommand,
  recordSupportEndedCommand,
  environmentCommand,
  deleteCommandGroup,
  codegenCommand,
  compatCommand,
  brokerCommand,
  configCommand,
  impactCommand,
  channelCommand,
  importCommand,
  exportCommand,
  publishProviderSchemaCommand,
  observeCommand,
  contractsCommand,
] as unknown as TreatyCommand[]

declare const TREATY_VERSION: string | undefined

async function cliVersion(): Promise<string> {
  const { readFile } = await import('node:fs/promises')
  const { cliManifest } = await import('./manifest.js')
  const pkg = JSON.parse(await readFile(cliManifest(), 'utf8')) as { version: string }
  return pkg.version
}

export interface RunOptions {
  /** Where streamed output goes (and what the terminal is); default the process's stdout and stderr. */
  io?: Io
  /** The commands (default: treaty's). */
  table?: readonly TreatyCommand[]
}

/**
 * Runs the CLI on `argv` (without `node treaty`) and resolves to its verdict: the exit code and what to print.
 * Only output that cannot wait (progress, a server's URL, an observer's notices) is written to `io` meanwhile.
 * Holds no state between runs.
 */
export async function run(argv: readonly string[], options: RunOptions = {}): Promise<Verdict> {
  const io = options.io ?? processIo()
  const report = new Report(io)
  const debug = argv.includes('--debug')
  // `--version` belongs to the top level only: inside a command, Pact users mean the application's version,
  // and printing ours there would let a gate exit 0 without checking anything.
  if (argv.length === 1 && argv[0] === '--version') {
    report.out(typeof TREATY_VERSION === 'string' ? TREATY_VERSION : await cliVersion())
    return report.verdict(ExitCode.OK)
  }
  const parsed = parse(argv, options.table ?? commands, {
    description: 'Contract testing for asynchronous message interfaces. treaty --version prints the version.',
    globalOptions,
    epilog: EXIT_CODES_HELP,
    width: Math.min(120, io.columns || 100),
  })
  if (parsed.kind === 'help') {
    report.text('stdout', parsed.text.endsWith('\n') ? parsed.text : `${parsed.text}\n`)
    return report.verdict(ExitCode.OK)
  }
  try {
    if (parsed.kind === 'usage') throw usageError(parsed.context, argv, valueOptions())
    return (await parsed.command.run?.(parsed.args, report)) ?? report.verdict(ExitCode.OK)
  } catch (err) {
    return failure(report, err, debug)
  }
}

/** The global options that take a value (so the word after them is not a command). */
function valueOptions(): string[] {
  return Object.keys(globalOptions).filter((k) => globalOptions[k as keyof typeof globalOptions].type === 'string')
}

/** Runs the CLI and writes its verdict to `io`; resolves to the exit code. */
export async function main(argv: readonly string[], options: RunOptions = {}): Promise<number> {
  const io = options.io ?? processIo()
  const verdict = await run(argv, { ...options, io })
  for (const line of verdict.output) io.write(line.stream, line.text)
  return verdict.exitCode
}

/** A failure thrown by a command: whatever it printed before, then one line and a hint (a stack only with --debug). */
async function failure(report: Report, err: unknown, debug: boolean): Promise<Verdict> {
  const { knownFailure } = await import('./lib/failures.js')
  const known = knownFailure(err)
  if (!known) {
    // A crash is not a "no": exit 4 so a pipeline can tell a bug in treaty from a failed check.
    report.err(`error (internal): ${(err as Error)?.stack ?? String(err)}\n  hint: rerun with --debug and report it`)
    return report.verdict(ExitCode.INTERNAL)
  }
  report.err(`error: ${known.message}`)
  if (known.hint) report.err(`  hint: ${known.hint}`)
  if (debug) report.err(`${(known.cause as Error | undefined)?.stack ?? ''}`)
  return report.verdict(known.exitCode)
}

export { CliError, ExitCode }
