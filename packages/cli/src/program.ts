/**
 * The parser: the command table (command.ts) as a commander program, built afresh for each run. Commander
 * only parses here: it never prints or exits. Help comes back as text, and every parse failure as a
 * UsageContext that usage-errors.ts turns into exit 2 with a did-you-mean. (commander rather than yargs:
 * loading yargs and its terminal-width stack cost more than the whole start-up budget of `treaty --help`.)
 */
import { Argument, type Command, Command as CommanderCommand, type CommanderError, InvalidArgumentError, Option } from 'commander'
import type { OptionSpec, OptionTable, TreatyCommand } from './command.js'
import type { UsageContext } from './usage-errors.js'

export type Parsed =
  | { kind: 'run'; command: TreatyCommand; args: Record<string, unknown> }
  | { kind: 'help'; text: string }
  | { kind: 'usage'; context: UsageContext }

export interface ProgramOptions {
  /** The top-level help's first lines. */
  description: string
  /** Options every command takes. */
  globalOptions: OptionTable
  /** Text at the end of every help (a command's own `epilog` replaces it). */
  epilog: string
  /** Help wraps at this width. */
  width: number
}

/** Thrown out of commander to stop the parse with an outcome (commander's own behaviour would be to exit). */
class Stop extends Error {
  constructor(readonly parsed: Parsed) {
    super('parse stopped')
  }
}

/** Parses `argv` against `table`: the command to run with its arguments, a help text, or a usage error. */
export function parse(argv: readonly string[], table: readonly TreatyCommand[], options: ProgramOptions): Parsed {
  const help = { text: '' }
  let chosen: Parsed | undefined
  let chosenCommand: Command | undefined
  const program = new CommanderCommand('treaty').usage('<command> [options]').description(options.description)
  for (const [name, spec] of Object.entries(options.globalOptions)) addOption(program, name, spec)
  setUp(program, argv, options, help, wrap(options.epilog, options.width))
  const add = (parent: Command, command: TreatyCommand) => {
    const [name, ...positionals] = command.command.split(' ')
    const cmd = parent.command(name!).description(command.describe)
    for (const word of positionals) {
      const argName = word.slice(1, -1).replace(/\.\.$/, '')
      const variadic = word.endsWith('..]') || word.endsWith('..>')
      const spec = command.positionals?.[argName]
      const arg = new Argument(
        word.startsWith('<') ? `<${argName}${variadic ? '...' : ''}>` : `[${argName}${variadic ? '...' : ''}]`,
        spec?.describe,
      )
      if (spec?.choices) arg.choices(spec.choices)
      cmd.addArgument(arg)
    }
    for (const [optionName, spec] of Object.entries(command.options ?? {})) addOption(cmd, optionName, spec)
    const examples = (command.examples ?? []).map(([line, what]) => `  ${line.replace(/^\$0/, 'treaty')}${what ? `\n      ${what}` : ''}`)
    const epilog = wrap(command.epilog ?? options.epilog, options.width)
    setUp(cmd, argv, options, help, [examples.length ? `Examples:\n${examples.join('\n')}` : '', epilog].filter(Boolean).join('\n\n'))
    for (const sub of command.subcommands ?? []) add(cmd, sub)
    if (!command.subcommands?.length) {
      cmd.action(() => {
        chosen = { kind: 'run', command, args: parsedArgs(cmd, options.globalOptions, command.options ?? {}) }
        chosenCommand = cmd
      })
    }
  }
  for (const command of table) add(program, command)
  try {
    program.parse([...argv], { from: 'user' })
  } catch (err) {
    if (err instanceof Stop) return err.parsed
    throw err
  }
  if (!chosen || !chosenCommand) throw new Error('the parser chose no command')
  const valued = booleanGivenValue(argv, chosenCommand) ?? givenTwice(argv, chosenCommand)
  if (valued) return { kind: 'usage', context: { ...context(chosenCommand, []), message: valued } }
  if (chosen.kind === 'run') {
    const missing = unmetNeeds(chosen.args, { ...options.globalOptions, ...chosen.command.options })
    if (missing) return { kind: 'usage', context: { ...context(chosenCommand, []), message: missing } }
  }
  return chosen
}

function addOption(cmd: Command, name: string, spec: OptionSpec): void {
  const value = spec.type === 'boolean' ? '' : spec.array ? ' <value...>' : ' <value>'
  const option = new Option(`--${name}${value}`, spec.describe)
  if (spec.type === 'number') option.argParser(parseNumber)
  if (spec.default !== undefined) option.default(spec.default)
  if (spec.choices) option.choices(spec.choices)
  if (spec.demandOption) option.makeOptionMandatory()
  cmd.addOption(option)
  // A boolean that defaults to true is turned off with --no-<name>.
  if (spec.type === 'boolean' && spec.default === true) cmd.addOption(new Option(`--no-${name}`).hideHelp())
}

/** A number option's value; `Number` alone reads 'abc' as NaN and '' as 0, which each command would then judge, or use. */
function parseNumber(value: string): number {
  const n = Number(value)
  if (value.trim() === '' || Number.isNaN(n)) throw new InvalidArgumentError(`${JSON.stringify(value)} is not a number`)
  return n
}

/** Output captured, never printed; failures thrown as a Stop; our help flag and text; no `help` command. */
function setUp(cmd: Command, argv: readonly string[], options: ProgramOptions, help: { text: string }, after: string): void {
  cmd
    .helpOption('-h, --help', 'Show help')
    .helpCommand(false)
    .allowExcessArguments(false)
    .configureHelp({ helpWidth: options.width, showGlobalOptions: true, subcommandTerm })
    .configureOutput({
      writeOut: (text) => {
        help.text += text
      },
      writeErr: () => {},
      outputError: () => {},
      getOutHasColors: () => false,
      getErrHasColors: () => false,
    })
    .exitOverride((err) => {
      throw new Stop(outcome(err, cmd, argv, help.text))
    })
  if (after) cmd.addHelpText('after', `\n${after}`)
}

/** `treaty environment create <name>`: a command as the top-level help lists it. */
function subcommandTerm(cmd: Command): string {
  const path: string[] = []
  for (let c: Command | null = cmd; c; c = c.parent) path.unshift(c.name())
  const args = cmd.registeredArguments.map((a) => {
    const name = `${a.name()}${a.variadic ? '...' : ''}`
    return a.required ? `<${name}>` : `[${name}]`
  })
  return [...path, ...args].join(' ')
}

/** What a commander failure means for the user. */
function outcome(err: CommanderError, cmd: Command, argv: readonly string[], helpText: string): Parsed {
  const valued = err.code === 'commander.helpDisplayed' ? undefined : booleanGivenValue(argv, cmd)
  if (valued) return { kind: 'usage', context: { ...context(cmd, []), message: valued } }
  switch (err.code) {
    case 'commander.helpDisplayed':
      return { kind: 'help', text: helpText }
    case 'commander.help':
      // A group (or treaty itself) without its command.
      return { kind: 'usage', context: { ...context(cmd, []), message: 'name a command' } }
    case 'commander.unknownCommand':
      return { kind: 'usage', context: { ...context(cmd, [cmd.args[0]!]), message: err.message } }
    case 'commander.excessArguments':
      return { kind: 'usage', context: { ...context(cmd, cmd.args.slice(cmd.registeredArguments.length)), message: err.message } }
    case 'commander.unknownOption':
      return { kind: 'usage', context: { ...context(cmd, unknownOptions(argv, cmd)), message: err.message.replace(/^error: /, '') } }
    default:
      return { kind: 'usage', context: { ...context(cmd, []), message: err.message.replace(/^error: /, '') } }
  }
}

function context(cmd: Command, unknown: string[]): UsageContext {
  const commandPath: string[] = []
  for (let c: Command | null = cmd; c?.parent; c = c.parent) commandPath.unshift(c.name())
  const options = chain(cmd).flatMap((c) => c.options.flatMap((o) => (o.long && !o.negate ? [o.long.slice(2)] : [])))
  return { message: '', unknown, commandPath, options, commands: cmd.commands.map((c) => c.name()) }
}

/** `cmd` and the commands above it. */
function chain(cmd: Command): Command[] {
  const out: Command[] = []
  for (let c: Command | null = cmd; c; c = c.parent) out.push(c)
  return out
}

/**
 * A switch written with a value (`--publish false`, `--dry-run=true`) as a usage error. yargs read such a
 * value; commander would take `--publish` as on and `false` as a positional, acting against what the user
 * wrote, so it is refused before anything runs.
 */
function booleanGivenValue(argv: readonly string[], cmd: Command): string | undefined {
  const switches = new Set(chain(cmd).flatMap((c) => c.options.filter((o) => !o.required && !o.optional && o.long).map((o) => o.long!)))
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!
    if (arg === '--') break
    const [flag, value] = arg.includes('=') ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [arg, argv[i + 1]]
    if (!switches.has(flag)) continue
    if (arg.includes('=') || value === 'true' || value === 'false') {
      const off = flag.startsWith('--no-') ? `--${flag.slice(5)}` : `--no-${flag.slice(2)}`
      return `${flag} is a switch and takes no value (${JSON.stringify(value)}): write ${flag} to turn it on, or leave it out${switches.has(off) ? ` (or write ${off})` : ''}`
    }
  }
  return undefined
}

/**
 * An option of one value given twice with different values (`--to production … --to staging`) as a usage
 * error. Commander keeps the last one, so a line that grew a second `--to` would ask about an environment
 * its author may not have meant; the same value twice is harmless.
 */
function givenTwice(argv: readonly string[], cmd: Command): string | undefined {
  const single = new Map<string, Option>()
  for (const c of chain(cmd)) for (const o of c.options) if (o.long && o.required && !o.variadic) single.set(o.long, o)
  const given = new Map<string, string>()
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!
    if (arg === '--') break
    const eq = arg.indexOf('=')
    const flag = eq > 0 ? arg.slice(0, eq) : arg
    if (!single.has(flag)) continue
    const value = eq > 0 ? arg.slice(eq + 1) : argv[++i]
    if (value === undefined) continue
    const earlier = given.get(flag)
    if (earlier !== undefined && earlier !== value) {
      return `${flag} is given twice (${JSON.stringify(earlier)}, then ${JSON.stringify(value)}): give it once, with the value you mean`
    }
    given.set(flag, value)
  }
  return undefined
}

/** Every option on the command line that `cmd` does not take, without its dashes (commander stops at the first). */
function unknownOptions(argv: readonly string[], cmd: Command): string[] {
  const known = new Map<string, Option>()
  for (const c of chain(cmd)) for (const o of c.options) for (const flag of [o.long, o.short]) if (flag) known.set(flag, o)
  const words: string[] = []
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!
    if (arg === '--') break
    if (!/^-[^\d]/.test(arg) || arg === '--help' || arg === '-h') continue
    const flag = arg.split('=')[0]!
    const option = known.get(flag)
    if (!option) words.push(flag.replace(/^-+/, ''))
    else if (option.required && !arg.includes('=')) i++
  }
  return words
}

/** The arguments a command's `run` receives: options by camelCase name and as named in the table, positionals by name. */
function parsedArgs(cmd: Command, globalOptions: OptionTable, options: OptionTable): Record<string, unknown> {
  const args: Record<string, unknown> = {}
  for (const [key, value] of Object.entries(cmd.optsWithGlobals())) if (value !== undefined) args[key] = value
  for (const name of [...Object.keys(globalOptions), ...Object.keys(options)]) {
    const value = args[camelCase(name)]
    if (value !== undefined) args[name] = value
  }
  cmd.registeredArguments.forEach((arg, i) => {
    const value = cmd.processedArgs[i] as unknown
    if (value === undefined) return
    args[arg.name()] = value
    args[camelCase(arg.name())] = value
  })
  return args
}

/**
 * `--dry-run` without the `--publish` it needs, or `--selector` beside the `--contracts` it conflicts with (one
 * of them would be ignored): the message, or undefined when every need is met.
 */
function unmetNeeds(args: Record<string, unknown>, options: OptionTable): string | undefined {
  const given = (name: string) => ![undefined, false].includes(args[camelCase(name)] as undefined)
  for (const [name, spec] of Object.entries(options)) {
    if (!given(name)) continue
    if (spec.needs && !given(spec.needs)) return `--${name} needs --${spec.needs}`
    if (spec.conflicts && given(spec.conflicts)) return `--${name} cannot be used with --${spec.conflicts}`
  }
  return undefined
}

/** Lines longer than `width` broken at spaces; the rest of a `  NAME   text` line lines up under its text. */
function wrap(text: string, width: number): string {
  return text
    .split('\n')
    .map((line) => {
      const hanging = ' '.repeat((/^ *\S+ {2,}/.exec(line)?.[0] ?? /^ */.exec(line)![0]).length)
      const out: string[] = []
      const [first = '', ...words] = line.split(' ')
      let current = first
      for (const word of words) {
        if (word && current.trim() && current.length + 1 + word.length > width) {
          out.push(current)
          current = hanging + word
        } else current = `${current} ${word}`
      }
      out.push(current)
      return out.join('\n')
    })
    .join('\n')
}

function camelCase(name: string): string {
  return name.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase())
}
