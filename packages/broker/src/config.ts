/**
 * Start-up configuration from environment variables and command-line flags (flags win). Every option is
 * declared once, in BROKER_OPTIONS (@treaty/core/broker-options): parsing, `--help`, `treaty broker`'s options
 * and the README table come from it.
 */
import { parseArgs } from 'node:util'
import { BROKER_OPTIONS, type BrokerFlags, DEFAULT_HOST, DEFAULT_PORT } from '@treaty/core/broker-options'
import type { TokenEntry } from './auth.js'
import { BrokerError, BrokerErrorCodes } from './errors.js'
import { defaultLogLevel, LOG_LEVELS, type LogLevel } from './logging.js'
import type { StartOptions } from './start.js'
import { parseTokenEntries, readTokenFile } from './token-file.js'

export { BROKER_OPTIONS, type BrokerFlags, DEFAULT_HOST, DEFAULT_PORT }

export function usage(): string {
  const lines = ['Usage: treaty-broker [options]', '', 'Options (flag, or environment variable):']
  for (const o of BROKER_OPTIONS) lines.push(`  ${(o.flag ? `--${o.flag} ` : '').padEnd(19)}${o.env.padEnd(26)}${o.description}`)
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

/** Reads env and a command line into start options. `help: true` means the caller should print `usage()` and exit. */
export function loadConfig(env: NodeJS.ProcessEnv, argv: readonly string[]): StartOptions & { help?: boolean } {
  let values: Record<string, string | boolean | undefined>
  try {
    values = parseArgs({
      args: [...argv],
      options: {
        ...Object.fromEntries(
          BROKER_OPTIONS.filter((o) => o.flag).map((o) => [o.flag!, { type: o.boolean ? ('boolean' as const) : ('string' as const) }]),
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
  return configFromFlags(env, values)
}

/**
 * Reads env and flag values already parsed (by flag name, as in BROKER_OPTIONS) into start options: how
 * `treaty broker` hands over its options without turning them back into a command line.
 */
export function configFromFlags(env: NodeJS.ProcessEnv, flags: BrokerFlags): StartOptions {
  const unknown = Object.keys(flags).filter((f) => flags[f] !== undefined && !BROKER_OPTIONS.some((o) => o.flag === f))
  if (unknown.length) throw invalid(`unknown option ${unknown.map((f) => `--${f}`).join(', ')}\n${usage()}`)
  const get = (flag: string, envName: string) => {
    const value = flags[flag]
    return typeof value === 'string' ? value : env[envName]
  }

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
  const insecureOpen = flags['insecure-open'] === true || /^(1|true)$/i.test(env.TREATY_INSECURE_OPEN ?? '')
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
