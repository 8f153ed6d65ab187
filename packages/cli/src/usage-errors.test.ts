import { ErrorCodes, TreatyError } from '@treaty/core'
import { describe, expect, it } from 'vitest'
import { run } from './cli.js'
import type { TreatyCommand } from './command.js'
import { CliError, ExitCode } from './exit-codes.js'
import { didYouMean, usageError } from './usage-errors.js'
import { printed } from './verdict.js'

describe('did-you-mean', () => {
  it('suggests near misses, Pact spellings and prefixes; nothing for unrelated words', () => {
    expect(didYouMean('verfy', ['publish', 'verify', 'config'])).toBe('verify')
    expect(didYouMean('consumer-app-version', ['app-version', 'branch'])).toBe('app-version')
    expect(didYouMean('prod', ['production'])).toBe('production')
    expect(didYouMean('frobnicate', ['service', 'app-version'])).toBeUndefined()
    // A typo of an option's first words: --brokr for --broker-url; a short first word ("to") is not one.
    expect(didYouMean('brokr', ['broker-url', 'branch'])).toBe('broker-url')
    expect(didYouMean('tx', ['to-environment'])).toBeUndefined()
  })

  it('reports a dashed option once, as typed, and points --version at --app-version', () => {
    const err = usageError(
      { message: '', unknown: ['dry-rn', 'version'], commandPath: ['publish'], options: ['dry-run', 'app-version'], commands: [] },
      ['publish', '--dry-rn', '--version'],
      [],
    )
    expect(err.exitCode).toBe(ExitCode.USAGE)
    expect(err.message).toBe('unknown options for treaty publish: --dry-rn, --version')
    expect(err.hint).toContain('did you mean --dry-run')
    expect(err.hint).toContain('--app-version')
  })
})

describe('an option spelt as another command or Pact spells it: --to, --environment, --provider, --broker-base-url', () => {
  // Each command's spelling is the other's mistake (and Pact's is --to-environment); --to must not read as a prefix of --token.
  it.each([
    ['can-i-deploy', '--to-environment', '--to'],
    ['can-i-deploy', '--environment', '--to'],
    ['record-deployment', '--to', '--environment'],
    ['record-release', '--to-environment', '--environment'],
    // Pact's spellings of the service and the broker, and a typo of the broker option's first word.
    ['verify', '--provider', '--service'],
    ['can-i-deploy', '--pacticipant', '--service'],
    ['can-i-deploy', '--broker-base-url', '--broker-url'],
    ['can-i-deploy', '--brokr', '--broker-url'],
    // import takes --service (the service the document describes) and --provider: the consumer is the service.
    ['import', '--consumer', '--service'],
  ])('%s %s: exits 2 suggesting %s', async (command, typed, meant) => {
    const r = await run([command, '--service', 'pdf-api', '--app-version', '1.0.0', typed, 'production'])
    expect(r.exitCode).toBe(ExitCode.USAGE)
    expect(printed(r, 'stderr')).toContain(`hint: did you mean ${meant} (instead of ${typed})?`)
    expect(printed(r, 'stderr')).not.toContain('--token')
  })
})

describe('main: exit codes of failures inside a command', () => {
  const throwing = (error: unknown): TreatyCommand[] => [
    {
      command: 'boom',
      describe: 'throws',
      run: () => Promise.reject(error),
    },
  ]

  it('exits 4 for an internal error, never 1 (a crash is not a "no")', async () => {
    expect((await run(['boom'], { table: throwing(new TypeError('x is undefined')) })).exitCode).toBe(ExitCode.INTERNAL)
  })

  it('exits with the exit code the table gives a known failure', async () => {
    expect((await run(['boom'], { table: throwing(new TreatyError(ErrorCodes.VERIFY_FAILED, 'no')) })).exitCode).toBe(ExitCode.FAILED)
    expect((await run(['boom'], { table: throwing(new CliError('no')) })).exitCode).toBe(ExitCode.USAGE)
  })

  it('exits 2 and runs nothing for an unknown option', async () => {
    let ran = false
    const table: TreatyCommand[] = [
      {
        command: 'act',
        describe: 'acts',
        run: (_args, report) => {
          ran = true
          return Promise.resolve(report.verdict())
        },
      },
    ]
    expect((await run(['act', '--nope'], { table })).exitCode).toBe(ExitCode.USAGE)
    expect(ran).toBe(false)
  })
})
