/**
 * A `treaty` command: its option table (a yargs builder, so help and parsing come from one table) and a
 * `run` that returns a verdict instead of printing. `toYargs` adapts a command to yargs for one run of the
 * CLI, handing the verdict to that run only: no state outlives it.
 */
import type { ArgumentsCamelCase, Argv, CommandModule } from 'yargs'
import type { Report, Verdict } from './verdict.js'

export interface TreatyCommand<A = object> {
  command: string
  describe: string
  builder?: CommandModule<object, A>['builder']
  /** Decides, given the parsed arguments: what to print (through `report`) and the exit code. */
  run?(args: ArgumentsCamelCase<A>, report: Report): Promise<Verdict>
  /** `treaty environment create`: a group's commands; one of them must be named. */
  subcommands?: readonly TreatyCommand[]
}

/** The yargs command for `command`, whose verdict goes to `settle`. */
export function toYargs(command: TreatyCommand, report: Report, settle: (verdict: Verdict) => void): CommandModule {
  const { builder, run, subcommands } = command
  return {
    command: command.command,
    describe: command.describe,
    builder: (y: Argv) => {
      let out = typeof builder === 'function' ? (builder(y) as Argv) : builder ? y.options(builder) : y
      for (const sub of subcommands ?? []) out = out.command(toYargs(sub, report, settle))
      return subcommands?.length ? out.demandCommand(1) : out
    },
    handler: async (args) => {
      if (run) settle(await run(args, report))
    },
  }
}
