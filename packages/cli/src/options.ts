/** Options shared by commands, as data: help text, parsing and env names come from this one table. */
import type { OptionTable } from './command.js'
import { CliError } from './exit-codes.js'

export const globalOptions = {
  'broker-url': { type: 'string', describe: 'Broker base URL [env TREATY_BROKER_URL]' },
  token: { type: 'string', describe: 'Broker bearer token [env TREATY_TOKEN]' },
  config: { type: 'string', describe: 'Config file (default: treaty.config.{ts,mts,js,mjs,json} in the working directory)' },
  json: { type: 'boolean', describe: 'Print machine-readable JSON on stdout' },
  debug: { type: 'boolean', describe: 'Show stack traces of errors' },
} satisfies OptionTable

export const serviceOptions = {
  service: { type: 'string', describe: 'The service [env TREATY_SERVICE]' },
  'app-version': { type: 'string', describe: "The service's version, e.g. a commit sha [env TREATY_APP_VERSION]" },
  branch: { type: 'string', describe: "The service's branch [env TREATY_BRANCH]" },
} satisfies OptionTable

/** `--dry-run` of every command that changes the broker's state. */
export const dryRunOption = {
  'dry-run': { type: 'boolean', describe: 'Print exactly what would be sent to the broker; send nothing' },
} satisfies OptionTable

export interface GlobalArgs {
  brokerUrl?: string
  token?: string
  config?: string
  json?: boolean
  debug?: boolean
}

export interface ServiceArgs extends GlobalArgs {
  service?: string
  appVersion?: string
  branch?: string
}

/** `--app-version` and `--branch` fall back to TREATY_APP_VERSION / TREATY_BRANCH. */
export function versionFromEnv(args: ServiceArgs, env: NodeJS.ProcessEnv = process.env): { appVersion?: string; branch?: string } {
  const out: { appVersion?: string; branch?: string } = {}
  const appVersion = args.appVersion ?? env.TREATY_APP_VERSION
  const branch = args.branch ?? env.TREATY_BRANCH
  if (appVersion) out.appVersion = appVersion
  if (branch) out.branch = branch
  return out
}

/**
 * A date or date-time as the broker wants it (ISO date-time). A plain date (`2026-01-01`) means its start,
 * in UTC; anything `Date` cannot read is a usage error, raised before anything is sent.
 */
export function isoDateTime(value: string, flag: string): string {
  const plain = /^\d{4}-\d{2}-\d{2}$/.test(value)
  const date = new Date(plain ? `${value}T00:00:00Z` : value)
  if (Number.isNaN(date.getTime()) || !/^\d{4}-\d{2}-\d{2}/.test(value)) {
    throw new CliError(`${flag} must be a date (2026-01-31) or an ISO date-time (got ${JSON.stringify(value)})`, `e.g. ${flag} 2026-01-31`)
  }
  return date.toISOString()
}
