/**
 * The `treaty` command line: a table of commands over the programmatic API (src/index.ts).
 * Command modules load their implementation only when run, so `treaty --help` stays fast.
 */
import yargs, { type CommandModule } from 'yargs'
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
import { verifyCommand } from './commands/verify.js'
import { versionCommand } from './commands/version.js'
import { CliError, EXIT_CODES_HELP, ExitCode } from './exit-codes.js'
import { globalOptions } from './options.js'
import { usageError } from './usage-errors.js'

// Each module types its own arguments; the table only needs them as commands.
export const commands = [
  publishCommand,
  verifyCommand,
  canIDeployCommand,
  recordDeploymentCommand,
  versionCommand,
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
] as unknown as CommandModule[]

/** What yargs knows where parsing stopped (untyped in @types/yargs, present in yargs 18). */
interface ParserState {
  getOptions(): { key: Record<string, unknown> }
  getInternalMethods(): { getContext(): { commands: string[] }; getCommandInstance(): { getCommands(): string[] } }
}

declare const TREATY_VERSION: string | undefined

async function cliVersion(): Promise<string> {
  const { readFile } = await import('node:fs/promises')
  const pkg = JSON.parse(await readFile(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }
  return pkg.version
}

/** Runs the CLI on `argv` (without `node treaty`); resolves to the exit code. */
export async function main(argv: string[], table: CommandModule[] = commands): Promise<number> {
  const debug = argv.includes('--debug')
  // `--version` belongs to the top level only: inside a command, Pact users mean the application's version,
  // and printing ours there would let a gate exit 0 without checking anything.
  if (argv.length === 1 && argv[0] === '--version') {
    process.stdout.write(`${typeof TREATY_VERSION === 'string' ? TREATY_VERSION : await cliVersion()}\n`)
    return ExitCode.OK
  }
  const parser = yargs(argv)
    .scriptName('treaty')
    .usage('$0 <command> [options]\n\nContract testing for asynchronous message interfaces. treaty --version prints the version.')
    .options(globalOptions)
    .command(table)
    .demandCommand(1, 'name a command')
    .strict()
    .version(false)
    .help()
    .alias('h', 'help')
    .epilog(EXIT_CODES_HELP)
    .wrap(Math.min(120, process.stdout.columns || 100))
    .exitProcess(false)
    .fail((message, err) => {
      if (err) throw err
      // Thrown, not stored: yargs runs the command's handler after a failure the callback swallows.
      const internal = parser as unknown as ParserState
      throw usageError(
        {
          message,
          commandPath: internal.getInternalMethods().getContext().commands,
          options: Object.keys(internal.getOptions().key),
          commands: internal.getInternalMethods().getCommandInstance().getCommands(),
        },
        argv,
        Object.keys(globalOptions).filter((k) => globalOptions[k as keyof typeof globalOptions].type === 'string'),
      )
    })
  try {
    await parser.parseAsync()
  } catch (err) {
    return report(err, debug)
  }
  return typeof process.exitCode === 'number' ? process.exitCode : ExitCode.OK
}

async function report(err: unknown, debug: boolean): Promise<number> {
  const { knownFailure } = await import('./lib/failures.js')
  const known = knownFailure(err)
  if (!known) {
    // A crash is not a "no": exit 4 so a pipeline can tell a bug in treaty from a failed check.
    process.stderr.write(`error (internal): ${(err as Error)?.stack ?? String(err)}\n  hint: rerun with --debug and report it\n`)
    return ExitCode.INTERNAL
  }
  process.stderr.write(`error: ${known.message}\n`)
  if (known.hint) process.stderr.write(`  hint: ${known.hint}\n`)
  if (debug) process.stderr.write(`${(known.cause as Error | undefined)?.stack ?? ''}\n`)
  return known.exitCode
}

export { CliError, ExitCode }
