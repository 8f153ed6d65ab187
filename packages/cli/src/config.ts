/**
 * Configuration: flags > environment (TREATY_*) > `treaty.config.{ts,mts,js,mjs,json}` in the
 * working directory. TypeScript configs load through jiti (pure JavaScript, no native binary; the
 * loader ESLint uses for `eslint.config.ts`), imported only when such a file exists.
 */
import { access, readFile } from 'node:fs/promises'
import { join, resolve } from 'node:path'
import type { Selector } from '@treaty/core'
import { CliError } from './exit-codes.js'
import { importModule } from './lib/load-module.js'
import { didYouMean } from './usage-errors.js'

export interface TreatyConfig {
  service?: string
  broker?: { url?: string; token?: string }
  contractsDir?: string
  /** Module (path) whose exports are the provider's `producers` (and optionally `states`). */
  producers?: string | Record<string, unknown>
  states?: string | Record<string, unknown>
  selectors?: Selector[]
}

export const CONFIG_FILES = ['treaty.config.ts', 'treaty.config.mts', 'treaty.config.js', 'treaty.config.mjs', 'treaty.config.json']

export interface LoadedConfig {
  config: TreatyConfig
  /** The file it came from, when there was one. */
  file?: string
}

export async function loadConfigFile(cwd: string, explicit?: string): Promise<LoadedConfig> {
  const candidates = explicit ? [resolve(cwd, explicit)] : CONFIG_FILES.map((f) => join(cwd, f))
  for (const file of candidates) {
    try {
      await access(file)
    } catch {
      if (explicit) throw new CliError(`config file ${explicit} not found`, 'check the --config path')
      continue
    }
    return { config: await importConfig(file), file }
  }
  return { config: {} }
}

async function importConfig(file: string): Promise<TreatyConfig> {
  try {
    let value: unknown
    if (file.endsWith('.json')) value = JSON.parse(await readFile(file, 'utf8'))
    else {
      const mod = await importModule(file)
      value = mod.default ?? mod
    }
    if (value === null || typeof value !== 'object' || Array.isArray(value)) throw new Error('it must export an object')
    checkFields(value as Record<string, unknown>, file)
    return value as TreatyConfig
  } catch (cause) {
    if (cause instanceof CliError) throw cause
    throw new CliError(`cannot load ${file}: ${(cause as Error).message.split('\n')[0]}`, 'fix the config file (see README: Config)', {
      cause,
    })
  }
}

/** The fields a config has (`$schema` for editors), and those of its `broker`. */
const CONFIG_FIELDS = ['$schema', 'service', 'broker', 'contractsDir', 'producers', 'states', 'selectors']
const BROKER_FIELDS = ['broker.url', 'broker.token']

/** A field the CLI does not read is a typo whose setting would silently be missing: refused, naming the closest field. */
function checkFields(config: Record<string, unknown>, file: string): void {
  const broker = config.broker
  const nested = broker !== null && typeof broker === 'object' ? Object.keys(broker).map((k) => `broker.${k}`) : []
  const unknown = Object.keys(config).find((k) => !CONFIG_FIELDS.includes(k)) ?? nested.find((k) => !BROKER_FIELDS.includes(k))
  if (unknown === undefined) return
  const near = didYouMean(unknown, unknown.startsWith('broker.') ? BROKER_FIELDS : CONFIG_FIELDS)
  throw new CliError(
    `${file}: unknown field ${unknown}`,
    `${near ? `did you mean ${near}? ` : ''}a config has service, broker: { url, token }, contractsDir, producers, states, selectors`,
  )
}

/** What a command runs with, after precedence is applied. */
export interface ResolvedConfig {
  service?: string
  brokerUrl?: string
  token?: string
  contractsDir: string
  producers?: string | Record<string, unknown>
  states?: string | Record<string, unknown>
  selectors?: Selector[]
  configFile?: string
}

export interface ConfigFlags {
  service?: string
  brokerUrl?: string
  token?: string
  contracts?: string
  producers?: string
  config?: string
}

export async function resolveConfig(
  flags: ConfigFlags,
  env: NodeJS.ProcessEnv = process.env,
  cwd = process.cwd(),
): Promise<ResolvedConfig> {
  const { config, file } = await loadConfigFile(cwd, flags.config ?? env.TREATY_CONFIG)
  const pick = <T>(...values: (T | undefined)[]): T | undefined => values.find((v) => v !== undefined && v !== '')
  const resolved: ResolvedConfig = {
    service: pick(flags.service, env.TREATY_SERVICE, config.service),
    brokerUrl: pick(flags.brokerUrl, env.TREATY_BROKER_URL, config.broker?.url),
    token: pick(flags.token, env.TREATY_TOKEN, config.broker?.token),
    contractsDir: resolve(cwd, pick(flags.contracts, env.TREATY_CONTRACTS_DIR, config.contractsDir) ?? 'contracts'),
    producers: pick<string | Record<string, unknown>>(flags.producers, env.TREATY_PRODUCERS, config.producers),
    states: config.states,
    selectors: config.selectors,
  }
  if (file) resolved.configFile = file
  if (resolved.brokerUrl !== undefined) checkBrokerUrl(resolved.brokerUrl)
  if (resolved.token !== undefined && !/^[\x21-\x7e]+$/.test(resolved.token)) {
    throw new CliError(
      'the broker token contains spaces or characters a token never has',
      'check --token / TREATY_TOKEN (a stray newline from a secret file?)',
    )
  }
  return resolved
}

/** A broker URL without a scheme (`127.0.0.1:9292`) is a configuration error, not an unreachable broker. */
export function checkBrokerUrl(url: string): void {
  let parsed: URL | undefined
  try {
    parsed = new URL(url)
  } catch {
    parsed = undefined
  }
  if (!parsed || (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') || !parsed.hostname) {
    throw new CliError(
      `broker URL ${JSON.stringify(url)} is not an http(s) URL`,
      `pass --broker-url (or TREATY_BROKER_URL) with its scheme, e.g. http://${url.replace(/^[a-z]+:\/\//i, '')}`,
    )
  }
}

/** The resolved config for printing: secrets masked. */
export function maskedConfig(config: ResolvedConfig): Record<string, unknown> {
  const out: Record<string, unknown> = { ...config }
  if (config.token) out.token = `*** (${config.token.length} characters)`
  for (const key of ['producers', 'states'] as const) {
    if (config[key] && typeof config[key] === 'object') out[key] = `{ ${Object.keys(config[key]).join(', ')} }`
  }
  return out
}
