/**
 * `treaty broker`: the broker's own options, from the one table both use (BROKER_OPTIONS), handed over as
 * parsed values — never turned back into a command line for the broker to parse again.
 */
import { BROKER_OPTIONS } from '@treaty/core/broker-options'
import type { OptionSpec, OptionTable, TreatyCommand } from '../command.js'
import { EXIT_CODES_HELP } from '../exit-codes.js'
import { cliManifest } from '../manifest.js'
import type { GlobalArgs } from '../options.js'

/** `--port` → `Port … [env PORT]`: help text from the broker's table. */
function describe(description: string, env: string): string {
  return `${description.charAt(0).toUpperCase()}${description.slice(1)} [env ${env}]`
}

/** Every flag of the broker, as options (values stay strings: the broker validates them, as for `npm start`). */
export const brokerOptions: OptionTable = {
  ...Object.fromEntries(
    BROKER_OPTIONS.filter((o) => o.flag).map((o) => [
      o.flag!,
      { type: o.boolean ? 'boolean' : 'string', describe: describe(o.description, o.env) } satisfies OptionSpec,
    ]),
  ),
  // Ours only: the broker itself takes DATABASE_URL from the environment alone (a password on its command line shows in `ps`).
  'database-url': { type: 'string', describe: 'PostgreSQL connection string instead of embedded storage [env DATABASE_URL]' },
}

const environmentOnly = BROKER_OPTIONS.filter((o) => !o.flag)
  .map((o) => `  ${o.env.padEnd(22)}${o.description}`)
  .join('\n')

/** The broker's flag values (by flag name, as parsed) and its environment, from `treaty broker`'s arguments. */
export function brokerStart(
  args: object,
  processEnv: NodeJS.ProcessEnv = process.env,
): { flags: Record<string, string | boolean>; env: NodeJS.ProcessEnv } {
  const values = args as Record<string, unknown>
  const flags: Record<string, string | boolean> = {}
  for (const { flag } of BROKER_OPTIONS) {
    const value = flag === undefined ? undefined : values[flag]
    if (typeof value === 'string' || typeof value === 'boolean') flags[flag!] = value
  }
  const databaseUrl = values['database-url']
  return { flags, env: typeof databaseUrl === 'string' ? { ...processEnv, DATABASE_URL: databaseUrl } : processEnv }
}

export const brokerCommand: TreatyCommand<GlobalArgs> = {
  command: 'broker',
  describe: 'Start the broker (embedded storage by default, PostgreSQL with --database-url); same as npm start',
  options: brokerOptions,
  examples: [
    ['$0 broker', 'http://127.0.0.1:9292 on embedded storage'],
    ['$0 broker --port 8080 --database-url postgres://treaty@db/treaty', 'production storage'],
  ],
  epilog: `Set only in the environment:\n${environmentOnly}\n\n${EXIT_CODES_HELP}`,
  run: async (args, p) => {
    // An optional peer: a pipeline that only talks to a broker never installs one (PGlite, fastify).
    const { importOptional } = await import('@treaty/core')
    const { configFromFlags, serve } = await importOptional(
      { name: '@treaty/broker', feature: 'treaty broker', manifest: cliManifest() },
      () => import('@treaty/broker'),
    )
    const { flags, env } = brokerStart(args)
    // The URL streams at once: whoever started the broker waits for it while it runs.
    await serve(configFromFlags(env, flags), (line) => p.live.out(line))
    return p.verdict()
  },
}
