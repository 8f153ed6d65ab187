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
import { environmentCommand } from './commands/environment.js'
import { exportCommand } from './commands/export.js'
import { impactCommand } from './commands/impact.js'
import { importCommand } from './commands/import.js'
import { observeCommand } from './commands/observe.js'
import { publishCommand } from './commands/publish.js'
import { publishProviderSchemaCommand } from './commands/publish-provider-schema.js'
import { recordDeploymentCommand } from './commands/record-deployment.js'
import { verifyCommand } from './commands/verify.js'
import { CliError, EXIT_CODES_HELP, ExitCode } from './exit-codes.js'
import { globalOptions } from './options.js'

// Each module types its own arguments; the table only needs them as commands.
export const commands = [
  publishCommand,
  verifyCommand,
  canIDeployCommand,
  recordDeploymentCommand,
  environmentCommand,
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
] as unknown as CommandModule[]

declare const TREATY_VERSION: string | undefined

async function cliVersion(): Promise<string> {
  const { readFile } = await import('node:fs/promises')
  const pkg = JSON.parse(await readFile(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }
  return pkg.version
}

/** Runs the CLI on `argv` (without `node treaty`); resolves to the exit code. */
export async function main(argv: string[]): Promise<number> {
  const debug = argv.includes('--debug')
  let usageError: string | undefined
  const parser = yargs(argv)
    .scriptName('treaty')
    .usage('$0 <command> [options]\n\nContract testing for asynchronous message interfaces.')
    .options(globalOptions)
    .command(commands)
    .demandCommand(1, 'name a command (see the list above)')
    .strict()
    .version(typeof TREATY_VERSION === 'string' ? TREATY_VERSION : await cliVersion())
    .help()
    .alias('h', 'help')
    .epilog(EXIT_CODES_HELP)
    .wrap(Math.min(120, process.stdout.columns || 100))
    .exitProcess(false)
    .fail((message, err) => {
      if (err) throw err
      usageError = message
    })
  try {
    await parser.parseAsync()
  } catch (err) {
    return report(err, debug)
  }
  if (usageError) {
    process.stderr.write(`error: ${usageError}\n  hint: run treaty --help for the commands and their options\n`)
    return ExitCode.USAGE
  }
  return typeof process.exitCode === 'number' ? process.exitCode : ExitCode.OK
}

async function report(err: unknown, debug: boolean): Promise<number> {
  const { toCliError } = await import('./lib/failures.js')
  const known = toCliError(err)
  if (!known) {
    process.stderr.write(`error: ${(err as Error)?.stack ?? String(err)}\n`)
    return ExitCode.FAILED
  }
  process.stderr.write(`error: ${known.message}\n`)
  if (known.hint) process.stderr.write(`  hint: ${known.hint}\n`)
  if (debug) process.stderr.write(`${(known.cause as Error | undefined)?.stack ?? known.stack}\n`)
  return known.exitCode
}

export { CliError, ExitCode }
