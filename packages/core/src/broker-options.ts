/**
 * @treaty/core/broker-options: the broker's start-up options as data — flag, environment variable, meaning.
 * The broker parses its command line and prints `--help` from this table; `treaty broker` builds its own
 * options and help from it and hands the values over as they are, so the two cannot drift. It lives here,
 * not in @treaty/broker, because the CLI must know the options (for parsing and help) even where the broker,
 * an optional peer, is not installed. Plain data: no imports.
 */

export const DEFAULT_PORT = 9292
export const DEFAULT_HOST = '127.0.0.1'
export const DEFAULT_DATA_DIR = '.treaty/broker-data'
export const DEFAULT_BODY_LIMIT = 10 * 1024 * 1024
/** A whole request, body included, must arrive within this; a slower client is cut off (slowloris). */
export const DEFAULT_REQUEST_TIMEOUT_MS = 30_000
export const DEFAULT_HEADERS_TIMEOUT_MS = 10_000
/** A broker's clients are pipelines and a few browsers; more connections than this is a flood, not load. */
export const DEFAULT_MAX_CONNECTIONS = 1000

export interface BrokerOption {
  /** The flag, without dashes; none for what only the environment may set (a secret on a command line shows in `ps`). */
  flag?: string
  env: string
  description: string
  /** A switch: the flag takes no value; the variable is on when it is `1` or `true`. */
  boolean?: true
}

export const BROKER_OPTIONS: readonly BrokerOption[] = [
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

/** Flag values by flag name (`port`, `insecure-open`), as parsed from a command line: strings, or `true` for switches. */
export type BrokerFlags = Readonly<Record<string, string | boolean | undefined>>
