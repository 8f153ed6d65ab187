/**
 * `treaty broker` takes exactly the broker's options, from the one table both use (BROKER_OPTIONS), and
 * hands their values to the broker as parsed: the same command line means the same broker either way.
 */

import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { configFromFlags, loadConfig } from '@treaty/broker'
import { BROKER_OPTIONS } from '@treaty/core/broker-options'
import { startProcess, TREATY_BIN } from '@treaty/test-support'
import { describe, expect, it } from 'vitest'
import { run } from '../src/cli.js'
import type { TreatyCommand } from '../src/command.js'
import { brokerCommand, brokerStart } from '../src/commands/broker.js'
import { printed } from '../src/verdict.js'

const tokensFile = join(mkdtempSync(join(tmpdir(), 'treaty-broker-options-')), 'tokens.yaml')
writeFileSync(tokensFile, 'tokens:\n  - { name: worker-ci, token: worker-token-0123456789, services: [pdf-worker] }\n')

/** A valid value for each flag of the broker; a flag added to the table without one here fails the first test. */
const VALUES: Record<string, string | true> = {
  port: '0',
  host: '127.0.0.1',
  'data-dir': '/tmp/treaty-broker-options',
  'db-pool-size': '5',
  'log-level': 'warn',
  'body-limit': '2048',
  'max-connections': '50',
  'request-timeout': '20000',
  'headers-timeout': '5000',
  'insecure-open': true,
  'tokens-file': tokensFile,
}

const flagged = BROKER_OPTIONS.filter((o) => o.flag !== undefined)

/** `treaty broker <argv>` parsed by the CLI's real option table; what it would hand to the broker instead of starting it. */
async function parsedByCli(argv: string[]) {
  let handed: ReturnType<typeof brokerStart> | undefined
  const table: TreatyCommand[] = [
    {
      ...brokerCommand,
      run: (args, report) => {
        handed = brokerStart(args, {})
        return Promise.resolve(report.verdict())
      },
    },
  ]
  const verdict = await run(['broker', ...argv], { table })
  return { verdict, handed }
}

describe('treaty broker: the broker’s own option table', () => {
  it('accepts every broker option, and the broker reads the values as it would from its own command line', async () => {
    expect(Object.keys(VALUES).sort()).toEqual(flagged.map((o) => o.flag).sort())
    const argv = flagged.flatMap((o) => (VALUES[o.flag!] === true ? [`--${o.flag}`] : [`--${o.flag}`, String(VALUES[o.flag!])]))
    const { verdict, handed } = await parsedByCli(argv)
    expect(verdict.exitCode, printed(verdict, 'stderr')).toBe(0)
    expect(configFromFlags(handed!.env, handed!.flags)).toEqual(loadConfig({}, argv))
    expect(loadConfig({}, argv)).toMatchObject({
      port: 0,
      bodyLimit: 2048,
      maxConnections: 5,
      maxClientConnections: 50,
      requestTimeoutMs: 20000,
      headersTimeoutMs: 5000,
      logLevel: 'warn',
      insecureOpen: true,
      tokens: { entries: [{ name: 'worker-ci', services: ['pdf-worker'] }] },
    })
  })

  it('each option alone reaches the broker (none is dropped on the way)', async () => {
    for (const o of flagged) {
      const argv = VALUES[o.flag!] === true ? [`--${o.flag}`] : [`--${o.flag}`, String(VALUES[o.flag!])]
      const { verdict, handed } = await parsedByCli(argv)
      expect(verdict.exitCode, `--${o.flag}: ${printed(verdict, 'stderr')}`).toBe(0)
      expect(configFromFlags(handed!.env, handed!.flags), `--${o.flag}`).toEqual(loadConfig({}, argv))
    }
  })

  it('--database-url (ours: the broker takes it from the environment only) becomes DATABASE_URL', async () => {
    const { handed } = await parsedByCli(['--database-url', 'postgres://treaty@db/treaty'])
    expect(configFromFlags(handed!.env, handed!.flags)).toMatchObject({ databaseUrl: 'postgres://treaty@db/treaty' })
  })

  it('help lists every flag and every environment-only variable, from the table', async () => {
    const help = printed(await run(['broker', '--help']), 'stdout')
    for (const o of BROKER_OPTIONS) {
      if (o.flag) expect(help).toContain(`--${o.flag}`)
      expect(help).toContain(o.env)
    }
  })

  it('a broker started with the flags `treaty broker` used to drop applies them: --body-limit 2048 refuses a 4 KB body', {
    timeout: 240_000,
  }, async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'treaty-cli-broker-'))
    const broker = await startProcess({
      name: 'treaty broker',
      command: process.execPath,
      args: [TREATY_BIN, 'broker', '--port', '0', '--data-dir', join(dataDir, 'data'), '--body-limit', '2048', '--db-pool-size', '3'],
      env: { ...process.env, LOG_LEVEL: 'warn' },
      ready: /listening on (http:\/\/[^\s]+)/,
      timeoutMs: 180_000,
    })
    try {
      const response = await fetch(`${broker.ready}/api/contracts`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ padding: 'x'.repeat(4096) }),
      })
      expect(response.status).toBe(413)
    } finally {
      await broker.kill('SIGTERM')
    }
  })
})
