import { BrokerClient } from '@treaty/core/client'
import { checkBrokerUrl } from '../config.js'
import { CliError } from '../exit-codes.js'

export interface BrokerConnection {
  brokerUrl?: string | undefined
  token?: string | undefined
  /** Use this client instead of one for brokerUrl (e.g. a DryRunClient for --dry-run). */
  client?: BrokerClient | undefined
}

/** A client for the configured broker, or a usage error saying how to configure one. */
export function brokerClient(options: BrokerConnection): BrokerClient {
  if (options.client) return options.client
  if (!options.brokerUrl) {
    throw new CliError('no broker URL configured', 'pass --broker-url, set TREATY_BROKER_URL, or set broker.url in treaty.config')
  }
  checkBrokerUrl(options.brokerUrl)
  return new BrokerClient({ url: options.brokerUrl, ...(options.token ? { token: options.token } : {}) })
}

export function required<T>(value: T | undefined, what: string, hint: string): T {
  if (value === undefined || value === '') throw new CliError(`${what} is required`, hint)
  return value
}
