/**
 * Usage errors: raised by the parser before any command runs, so a mistaken command line never
 * reaches the broker. Each one names the closest known command or option (did-you-mean).
 */
import { CliError } from './exit-codes.js'

/** Edit distance (insertions, deletions, substitutions), for did-you-mean suggestions. */
export function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j)
  for (let i = 1; i <= a.length; i++) {
    const row = [i]
    for (let j = 1; j <= b.length; j++) {
      row[j] = Math.min(prev[j]! + 1, row[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1))
    }
    prev = row
  }
  return prev[b.length]!
}

/** The candidate closest to `word`, when it is close enough to be a typo (or `word` is a prefix of it). */
export function didYouMean(word: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined
  let bestDistance = Number.POSITIVE_INFINITY
  for (const c of candidates) {
    // A prefix, or a longer spelling of it (Pact's --consumer-app-version for --app-version), is a near miss too,
    // and so is a typo of its first words (--brokr for --broker-url).
    const d = c.startsWith(word) || (c.length >= 4 && word.includes(c)) ? 1 : Math.min(...heads(c).map((h) => editDistance(word, h)))
    if (d < bestDistance) {
      best = c
      bestDistance = d
    }
  }
  return best !== undefined && bestDistance <= Math.max(2, Math.floor(word.length / 3)) ? best : undefined
}

/** `broker-url` and `broker`: a hyphenated name and its leading words of four letters or more. */
function heads(name: string): string[] {
  const parts = name.split('-')
  return parts.map((_, i) => parts.slice(0, i + 1).join('-')).filter((h, i, all) => h.length >= 4 || i === all.length - 1)
}

export interface UsageContext {
  /** The parser's message, for a failure other than words it does not know (a missing argument, a value not among the choices). */
  message: string
  /** Words the matched command does not take, as typed without dashes: options, extra positionals, a mistyped subcommand. */
  unknown: readonly string[]
  /** The command path matched so far, e.g. `['environment', 'create']`. */
  commandPath: string[]
  /** Option names the matched command accepts. */
  options: string[]
  /** Command names available where parsing stopped. */
  commands: string[]
}

/** Turns a parse failure into a CliError (exit 2) with the usage line and a did-you-mean. */
export function usageError(ctx: UsageContext, argv: readonly string[], valueOptions: readonly string[]): CliError {
  const command = ['treaty', ...ctx.commandPath].join(' ')
  const usage = `usage: ${command}${ctx.commandPath.length ? '' : ' <command>'} [options]; ${command} --help lists them`
  if (ctx.commandPath.length === 0) {
    const attempted = firstPositional(argv, valueOptions)
    if (attempted !== undefined && !ctx.commands.includes(attempted)) {
      const cmd = didYouMean(attempted, ctx.commands)
      const hint = cmd ? `did you mean "treaty ${cmd}"?\n  hint: ${usage}` : usage
      return new CliError(`unknown command "${attempted}"`, hint)
    }
  }
  const words = ctx.unknown
  if (!words.length) return new CliError(ctx.message, usage)
  const hints: string[] = []
  const optionNames = ctx.options.filter((o) => o.length > 1)
  const typed = (w: string) => argv.some((a) => a.replace(/^-+/, '').split('=')[0] === w && a.startsWith('-'))
  const positionals = words.filter((w) => !typed(w))
  if (positionals.length) {
    // The word after a mistyped subcommand may be named too (`delete servic orders` → "orders"); the typo is the first.
    const rest = [...argv]
    for (const word of ctx.commandPath) rest.splice(rest.indexOf(word), 1)
    const attempted = ctx.commands.length ? firstPositional(rest, valueOptions) : undefined
    const cmd = attempted === undefined ? undefined : didYouMean(attempted, ctx.commands)
    const hint = cmd ? `did you mean "${command} ${cmd}"?\n  hint: ${usage}` : usage
    const named = attempted === undefined ? positionals : [attempted]
    return new CliError(`${command} does not take ${named.map((w) => `"${w}"`).join(', ')}`, hint)
  }
  for (const word of words) {
    if ((word === 'version' || word === 'v') && ctx.commandPath.length) {
      hints.push(
        `${dashed(word)} is not an option here ("treaty --version" prints treaty's version); the service's version is --app-version`,
      )
      continue
    }
    const spellings = SPELLINGS.find((group) => group.includes(word))
    const option = spellings?.find((o) => optionNames.includes(o)) ?? didYouMean(word, optionNames)
    if (option) hints.push(`did you mean --${option} (instead of ${dashed(word)})?`)
  }
  const listed = words.map(dashed).join(', ')
  return new CliError(`unknown ${words.length > 1 ? 'options' : 'option'} for ${command}: ${listed}`, [...hints, usage].join('\n  hint: '))
}

/**
 * Spellings of one option, each a likely mistake for another and too far from it for edit distance: the
 * environment (can-i-deploy's --to, the record commands' --environment, Pact's --to-environment, which
 * edit distance would answer with --token), the service (Pact's --provider and --pacticipant, where a command
 * takes --service) and the broker (Pact's --broker-base-url). The first a command takes is suggested.
 */
const SPELLINGS = [
  ['to', 'environment', 'to-environment'],
  ['service', 'provider', 'consumer', 'pacticipant'],
  ['broker-url', 'broker-base-url', 'broker'],
]

/** The first word that is neither an option nor the value of one: what the user meant as the command. */
function firstPositional(argv: readonly string[], valueOptions: readonly string[]): string | undefined {
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!
    if (arg === '--') return undefined
    if (arg.startsWith('-')) {
      if (!arg.includes('=') && valueOptions.includes(arg.replace(/^-+/, ''))) i++
      continue
    }
    return arg
  }
  return undefined
}

function dashed(word: string): string {
  return word.length > 1 ? `--${word}` : `-${word}`
}
