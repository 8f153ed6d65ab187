/**
 * Start-up configuration from environment variables and command-line flags (flags win). Every option is
 * declared once in OPTIONS: parsing, `--help` and the README table come from it.
 */
import { parseArgs } from 'node:util'
import { DEFAULT_BODY_LIMIT, DEFAULT_HEADERS_TIMEOUT_MS, DEFAULT_MAX_CONNECTIONS, DEFAULT_REQUEST_TIMEOUT_MS } from './app.js'
import type { TokenEntry } from './auth.js'
import { BrokerError, BrokerErrorCodes } from './errors.js'
import { defaultLogLevel, LOG_LEVELS, type LogLevel } from './logging.js'
import type { StartOptions } from './start.js'
import { DEFAULT_DATA_DIR } from './store/store.js'
import { parseTokenEntries, readTokenFile } from './token-file.js'

export const DEFAULT_PORT = 9292
export const DEFAULT_HOST = '127.0.0.1'

interface OptionSpec {
  flag?: string
  env: string
  description: string
  /** A switch: the flag takes no value; the variable is on when it is `1` or `true`. */
  boolean?: true
}

export const OPTIONS: readonly OptionSpec[] = [
  { flag: 'port', env: 'PORT', description: `port to listen on (default ${DEFAULT_PORT}; 0 picks a free one)` },
  { flag: 'host', env: 'HOST', description: `address to listen on (default ${DEFAULT_HOST}; 0.0.0.0 for all interfaces)` },
  { flag: 'data-dir', env: 'TREATY_DATA_DIR', description: `embedded (PGlite) data directory (default ${DEFAULT_DATA_DIR})` },
  { env: 'DATABASE_URL', description: 'PostgreSQL connection string; when set, PostgreSQL is used instead of the embedded store' },
  { flag: 'db-pool-size', env: 'TREATY_DB_POOL_SIZE', description: 'PostgreSQL connections per broker instance (default 10)' },
  { flag: 'log-level', env: 'LOG_LEVEL', description: 'trace, debug, info, warn or error (default info; warn when NODE_ENV=production)' },
  { flag: 'body-limit', env: 'TREATY_BODY_LIMIT', description: `largest request body in bytes (default ${DEFAULT_BODY_LIMIT})` },
  {
    flag: 'max-connections',
    env: 'TREATY_MAX_CONNECTIONS',
    description: `open client connections at most; more are closed at once (default ${DEFAULT_MAX_CONNECTIONS})`,
  },
  {
    flag: 'request-timeout',
    env: 'TREATY_REQUEST_TIMEOUT_MS',
    description: `ms to receive a whole request, body included; a slower client is cut off (default ${DEFAULT_REQUEST_TIMEOUT_MS})`,
  },
  {
    flag: 'headers-timeout',
    env: 'TREATY_HEADERS_TIMEOUT_MS',
    description: `ms to receive a request's headers (default ${DEFAULT_HEADERS_TIMEOUT_MS}; at most the request timeout)`,
  },
  {
    flag: 'insecure-open',
    env: 'TREATY_INSECURE_OPEN',
    boolean: true,
    description: 'allow listening on a non-loopback address without tokens (anyone who reaches it can write)',
  },
  { env: 'TREATY_ALLOWED_HOSTS', description: 'comma-separated host names an open broker (no tokens) answers to, besides loopback' },
  { env: 'TREATY_READ_TOKEN', description: 'bearer token for reading (at least 16 characters; each level its own)' },
  { env: 'TREATY_WRITE_TOKEN', description: 'bearer token for publishing contracts, verification results and deployments (and reading)' },
  { env: 'TREATY_ADMIN_TOKEN', description: 'bearer token for everything, including environments and webhooks' },
  {
    flag: 'tokens-file',
    env: 'TREATY_TOKENS_FILE',
    description: 'YAML or JSON file of named tokens, each a level and (write) the services it may act for',
  },
  { env: 'TREATY_TOKENS', description: 'the same named tokens inline, as YAML or JSON (for a secret injected as a variable)' },
  {
    env: 'TREATY_PUBLIC_BADGES',
    description: 'true: serve the SVG badges under /badges without a token (default: they need a read token)',
  },
]

export function usage(): string {
  const lines = ['Usage: treaty-broker [options]', '', 'Options (flag, or environment variable):']
  for (const o of OPTIONS) lines.push(`  ${(o.flag ? `--${o.flag} ` : '').padEnd(19)}${o.env.padEnd(26)}${o.description}`)
  return lines.join('\n')
}

function invalid(message: string): BrokerError {
  return new BrokerError(BrokerErrorCodes.CONFIG_INVALID, message)
}

function integer(value: string | undefined, name: string, min: number, max: number): number | undefined {
  if (value === undefined || value === '') return undefined
  if (!/^\d+$/.test(value) || Number(value) < min || Number(value) > max) {
    throw invalid(`${name} must be a whole number from ${min} to ${max}, not ${JSON.stringify(value)}`)
  }
  return Number(value)
}

/** Reads env and flags into start options. `help: true` means the caller should print `usage()` and exit. */
export function loadConfig(env: NodeJS.ProcessEnv, argv: readonly string[]): StartOptions & { help?: boolean } {
  let values: Record<string, string | boolean | undefined>
  try {
    values = parseArgs({
      args: [...argv],
      options: {
        ...Object.fromEntries(
          OPTIONS.filter((o) => o.flag).map((o) => [o.flag!, { type: o.boolean ? ('boolean' as const) : ('string' as const) }]),
        ),
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
      allowPositionals: false,
    }).values
  } catch (err) {
    throw invalid(`${(err as Error).message}\n${usage()}`)
  }
  if (values.help) return { help: true }
  const get = (flag: string, envName: string) => (values[flag] as string | undefined) ?? env[envName]

  const logLevel = (get('log-level', 'LOG_LEVEL') ?? defaultLogLevel(env)).toLowerCase()
  if (!(LOG_LEVELS as readonly string[]).includes(logLevel)) {
    throw invalid(`LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}, not ${JSON.stringify(logLevel)}`)
  }
  const tokensFile = get('tokens-file', 'TREATY_TOKENS_FILE')
  const entries: TokenEntry[] = [
    ...(tokensFile ? readTokenFile(tokensFile, `TREATY_TOKENS_FILE ${tokensFile}`) : []),
    ...(env.TREATY_TOKENS ? parseTokenEntries(env.TREATY_TOKENS, 'TREATY_TOKENS') : []),
  ]
  const tokens = {
    ...(env.TREATY_READ_TOKEN ? { read: env.TREATY_READ_TOKEN } : {}),
    ...(env.TREATY_WRITE_TOKEN ? { write: env.TREATY_WRITE_TOKEN } : {}),
    ...(env.TREATY_ADMIN_TOKEN ? { admin: env.TREATY_ADMIN_TOKEN } : {}),
    ...(entries.length > 0 ? { entries } : {}),
  }
  const port = integer(get('port', 'PORT'), 'PORT', 0, 65535) ?? DEFAULT_PORT
  const bodyLimit = integer(get('body-limit', 'TREATY_BODY_LIMIT'), 'TREATY_BODY_LIMIT', 1024, 1024 ** 3)
  const poolSize = integer(get('db-pool-size', 'TREATY_DB_POOL_SIZE'), 'TREATY_DB_POOL_SIZE', 1, 1000)
  const maxClientConnections = integer(get('max-connections', 'TREATY_MAX_CONNECTIONS'), 'TREATY_MAX_CONNECTIONS', 1, 1_000_000)
  const requestTimeoutMs = integer(get('request-timeout', 'TREATY_REQUEST_TIMEOUT_MS'), 'TREATY_REQUEST_TIMEOUT_MS', 100, 3_600_000)
  const headersTimeoutMs = integer(get('headers-timeout', 'TREATY_HEADERS_TIMEOUT_MS'), 'TREATY_HEADERS_TIMEOUT_MS', 100, 3_600_000)
  const insecureOpen = values['insecure-open'] === true || /^(1|true)$/i.test(env.TREATY_INSECURE_OPEN ?? '')
  const allowedHosts = (env.TREATY_ALLOWED_HOSTS ?? '')
    .split(',')
    .map((h) => h.trim())
    .filter(Boolean)
  const databaseUrl = env.DATABASE_URL || undefined
  const dataDir = get('data-dir', 'TREATY_DATA_DIR')
  return {
    port,
    host: get('host', 'HOST') || DEFAULT_HOST,
    logLevel: logLevel as LogLevel,
    tokens,
    ...(databaseUrl ? { databaseUrl } : {}),
    ...(dataDir ? { dataDir } : {}),
    ...(bodyLimit === undefined ? {} : { bodyLimit }),
    ...(poolSize === undefined ? {} : { maxConnections: poolSize }),
    ...(maxClientConnections === undefined ? {} : { maxClientConnections }),
    ...(requestTimeoutMs === undefined ? {} : { requestTimeoutMs }),
    ...(headersTimeoutMs === undefined ? {} : { headersTimeoutMs }),
    ...(insecureOpen ? { insecureOpen } : {}),
    ...(allowedHosts.length > 0 ? { allowedHosts } : {}),
    ...(env.TREATY_PUBLIC_BADGES === 'true' ? { publicBadges: true } : {}),
  }
}
