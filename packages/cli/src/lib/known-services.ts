/** Did-you-mean over the services the broker knows, for a provider name that matched nothing. */
import { didYouMean } from '../usage-errors.js'
import { type BrokerConnection, brokerClient } from './broker-client.js'

/** A warning when the broker has never heard of `service` (a typo, most likely), naming the closest known one. */
export async function unknownServiceHint(service: string, options: BrokerConnection): Promise<string | undefined> {
  const { services } = await brokerClient(options).request<{ services: { name: string }[] }>('GET', '/api/services')
  const names = services.map((s) => s.name)
  if (names.includes(service)) return undefined
  const near = didYouMean(service, names)
  return `the broker knows no service "${service}"${near ? `; did you mean --service ${near}?` : ''}`
}
