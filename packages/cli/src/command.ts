/**
 * A `treaty` command as data: its positionals, its option table (help text, parsing and the argument type
 * all come from it) and a `run` that returns a verdict instead of printing. program.ts turns the table into
 * a parser for one run of the CLI; no state outlives it.
 */
import type { Report, Verdict } from './verdict.js'

/** One `--option`: how it parses, what help says about it. */
export interface OptionSpec {
  type: 'string' | 'boolean' | 'number'
  describe: string
  /** Repeatable, and takes every value up to the next option: `--selector a --selector b` or `--selector a b`. */
  array?: boolean
  default?: string | number | boolean
  /** Required. */
  demandOption?: boolean
  choices?: readonly string[]
  /** Only valid together with this other option (`--dry-run` needs `--publish`); otherwise a usage error. */
  needs?: string
  /** Not valid together with this other option (`--selector` picks from the broker, `--contracts` reads a directory). */
  conflicts?: string
}

/** One positional of the command line (`publish [paths..]`): its name and kind come from `command`. */
export interface PositionalSpec {
  describe: string
  choices?: readonly string[]
}

export type OptionTable = Record<string, OptionSpec>

type CamelCase<S extends string> = S extends `${infer Head}-${infer Tail}` ? `${Head}${Capitalize<CamelCase<Tail>>}` : S
type Scalar<O> = O extends { type: 'number' } ? number : O extends { type: 'boolean' } ? boolean : string
type Value<O> = O extends { array: true } ? Scalar<O>[] : Scalar<O>
type Always<O> = O extends { default: unknown } ? true : O extends { demandOption: true } ? true : false

/** The parsed values of an option table, by camelCase name; optional unless the option has a default or is required. */
export type ParsedOptions<T extends OptionTable> = {
  [K in keyof T & string as Always<T[K]> extends true ? CamelCase<K> : never]: Value<T[K]>
} & {
  [K in keyof T & string as Always<T[K]> extends true ? never : CamelCase<K>]?: Value<T[K]>
}

export interface TreatyCommand<A = object> {
  /** Name and positionals: `publish [paths..]`, `delete <what>`, `compat <files..>` (`..`: any number). */
  command: string
  describe: string
  positionals?: Record<string, PositionalSpec>
  options?: OptionTable
  /** `[command line, what it does]`; `$0` stands for `treaty`. */
  examples?: readonly (readonly [string, string])[]
  /** Text after the examples (default: the exit codes). */
  epilog?: string
  /** Decides, given the parsed arguments: what to print (through `report`) and the exit code. */
  run?(args: A, report: Report): Promise<Verdict>
  /** `treaty environment create`: a group's commands; one of them must be named. */
  subcommands?: readonly TreatyCommand[]
}
