import type { CommandModule } from 'yargs'
import type { GlobalArgs } from '../options.js'

interface Args extends GlobalArgs {
  port?: number
  host?: string
  dataDir?: string
  databaseUrl?: string
  logLevel?: string
  insecureOpen?: boolean
  tokensFile?: string
}

export const brokerCommand: CommandModule<object, Args> = {
  command: 'broker',
  describe: 'Start the broker (embedded storage by default, PostgreSQL with --database-url); same as npm start',
  builder: (y) =>
    y
      .options({
        port: { type: 'number', describe: 'Port (default 9292; 0 picks a free one) [env PORT]' },
        host: { type: 'string', describe: 'Address to listen on (default 127.0.0.1) [env HOST]' },
        'data-dir': { type: 'string', describe: 'Embedded (PGlite) data directory (default .treaty/broker-data) [env TREATY_DATA_DIR]' },
        'database-url': { type: 'string', describe: 'PostgreSQL connection string instead of embedded storage [env DATABASE_URL]' },
        'log-level': { type: 'string', describe: 'trace|debug|info|warn|error [env LOG_LEVEL]' },
        'insecure-open': { type: 'boolean', describe: 'Allow a non-loopback --host without tokens [env TREATY_INSECURE_OPEN]' },
        'tokens-file': {
          type: 'string',
          describe: 'YAML/JSON file of named tokens, a write token limited to its services [env TREATY_TOKENS_FILE]',
        },
      })
      .example('$0 broker', 'http://127.0.0.1:9292 on embedded storage')
      .example('$0 broker --port 8080 --database-url postgres://treaty@db/treaty', 'production storage'),
  handler: async (args) => {
    // An optional peer: a pipeline that only talks to a broker never installs one (PGlite, fastify).
    const { importOptional } = await import('@treaty/core')
    const { loadConfig, serve } = await importOptional(
      { name: '@treaty/broker', feature: 'treaty broker', manifest: new URL('../../package.json', import.meta.url) },
      () => import('@treaty/broker'),
    )
    const flags: string[] = []
    if (args.port !== undefined) flags.push('--port', String(args.port))
    if (args.host) flags.push('--host', args.host)
    if (args.dataDir) flags.push('--data-dir', args.dataDir)
    if (args.logLevel) flags.push('--log-level', args.logLevel)
    if (args.insecureOpen) flags.push('--insecure-open')
    if (args.tokensFile) flags.push('--tokens-file', args.tokensFile)
    const env = { ...process.env, ...(args.databaseUrl ? { DATABASE_URL: args.databaseUrl } : {}) }
    await serve(loadConfig(env, flags), (line) => process.stdout.write(`${line}\n`))
  },
}
