import { describe, expect, it } from 'vitest'
import type { TreatyCommand } from './command.js'
import { globalOptions } from './options.js'
import { type Parsed, parse } from './program.js'

const table: TreatyCommand[] = [
  {
    command: 'ship [paths..]',
    describe: 'ships',
    positionals: { paths: { describe: 'what to ship' } },
    options: {
      'app-version': { type: 'string', describe: 'the version' },
      selector: { type: 'string', array: true, describe: 'repeatable' },
      retries: { type: 'number', default: 0, describe: 'how often' },
      publish: { type: 'boolean', default: true, describe: 'publish (--no-publish: do not)' },
      'dry-run': { type: 'boolean', needs: 'app-version', describe: 'only with --app-version' },
    },
    examples: [['$0 ship dist --app-version 1', 'ship version 1']],
    run: () => Promise.reject(new Error('not run here')),
  },
  {
    command: 'group <command>',
    describe: 'a group',
    subcommands: [{ command: 'make <name>', describe: 'makes one', run: () => Promise.reject(new Error('not run here')) }],
  },
]

const parsed = (argv: string[]): Parsed => parse(argv, table, { description: 'test', globalOptions, epilog: 'Exit codes: …', width: 100 })

function args(argv: string[]): Record<string, unknown> {
  const p = parsed(argv)
  if (p.kind !== 'run') throw new Error(`not a run: ${JSON.stringify(p)}`)
  return p.args
}

describe('the parser built from the command table', () => {
  it('hands options over by camelCase name and as the table names them, positionals by name, defaults filled in', () => {
    expect(args(['ship', 'a', 'b', '--app-version', '1.2'])).toMatchObject({
      paths: ['a', 'b'],
      appVersion: '1.2',
      'app-version': '1.2',
      retries: 0,
      publish: true,
    })
  })

  it('reads numbers, repeated and multi-valued arrays, --no-<flag> of a flag that defaults to true', () => {
    expect(args(['ship', '--retries', '3', '--selector', 'a', '--selector', 'b', 'c', '--no-publish'])).toMatchObject({
      retries: 3,
      selector: ['a', 'b', 'c'],
      publish: false,
    })
  })

  it('a number option given something else is a usage error naming the value typed, before any command runs', () => {
    for (const value of ['abc', '']) {
      expect(parsed(['ship', '--retries', value])).toMatchObject({
        kind: 'usage',
        context: { message: `option '--retries <value>' argument '${value}' is invalid. ${JSON.stringify(value)} is not a number` },
      })
    }
  })

  it('takes global options before or after the command', () => {
    expect(args(['--json', 'ship', '--broker-url', 'http://b'])).toMatchObject({
      json: true,
      brokerUrl: 'http://b',
      'broker-url': 'http://b',
    })
  })

  it('an option that needs another is a usage error without it', () => {
    expect(parsed(['ship', '--dry-run'])).toMatchObject({
      kind: 'usage',
      context: { message: '--dry-run needs --app-version', commandPath: ['ship'] },
    })
    expect(parsed(['ship', '--dry-run', '--app-version', '1']).kind).toBe('run')
  })

  it('names every unknown option, a mistyped subcommand and a missing one', () => {
    expect(parsed(['ship', '--dry-rn', '--frob=1', '--app-version', '1'])).toMatchObject({
      kind: 'usage',
      context: { unknown: ['dry-rn', 'frob'], commandPath: ['ship'], options: expect.arrayContaining(['dry-run', 'broker-url']) },
    })
    expect(parsed(['group', 'mak', 'x'])).toMatchObject({
      kind: 'usage',
      context: { unknown: ['mak'], commandPath: ['group'], commands: ['make'] },
    })
    expect(parsed(['group'])).toMatchObject({ kind: 'usage', context: { message: 'name a command', commandPath: ['group'] } })
  })

  it('help lists the commands by their full name, and a command its options, the global ones, examples and epilog', () => {
    const top = parsed(['--help'])
    expect(top.kind).toBe('help')
    expect(top.kind === 'help' && top.text).toContain('treaty ship [paths...]')
    const ship = parsed(['ship', '-h'])
    if (ship.kind !== 'help') throw new Error('no help')
    for (const text of ['--app-version <value>', '--broker-url <value>', 'treaty ship dist --app-version 1', 'Exit codes: …'])
      expect(ship.text).toContain(text)
    expect(ship.text).not.toMatch(/^ +--no-publish/m)
  })

  it('refuses a switch written with a value instead of reading the value as a positional and the switch as on', () => {
    for (const argv of [
      ['ship', '--publish', 'false', 'a'],
      ['ship', '--publish=false', 'a'],
      ['ship', 'a', '--app-version', '1', '--dry-run=true'],
      ['ship', '--json', 'true'],
    ]) {
      const p = parsed(argv)
      expect(p.kind, argv.join(' ')).toBe('usage')
      if (p.kind === 'usage') expect(p.context.message).toMatch(/^--[a-z-]+ is a switch and takes no value/)
    }
    const off = parsed(['ship', '--publish=false'])
    expect(off.kind === 'usage' && off.context.message).toContain('(or write --no-publish)')
    // A positional that merely follows a switch is still a positional.
    expect(args(['ship', '--json', 'out'])).toMatchObject({ json: true, paths: ['out'] })
  })
})
