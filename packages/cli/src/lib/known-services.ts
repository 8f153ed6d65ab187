/** Why a provider's verification from the broker found nothing: a mistyped name, or contracts the selectors left out. */
import type { ServiceDetail, ServicesResponse } from '@treaty/core/wire'
import { didYouMean } from '../usage-errors.js'
import { type BrokerConnection, brokerClient } from './broker-client.js'

/** When the broker has never heard of `service` (a typo, most likely): saying so, with the closest known name. */
export async function unknownService(service: string, options: BrokerConnection): Promise<string | undefined> {
  const { services } = await brokerClient(options).request<ServicesResponse>('GET', '/api/services')
  const names = services.map((s) => s.name)
  if (names.includes(service)) return undefined
  const near = didYouMean(service, names)
  return `the broker knows no service "${service}"${near ? `; did you mean --service ${near}?` : ''}`
}

/**
 * A warning when the broker has never heard of `service` (a typo, most likely), naming the closest known one;
 * or, when consumers have published contracts for it, naming those the selectors left out, with their branch and
 * the consumer's main branch: a consumer publishing from `master` (git's default in places) while its main
 * branch is `main` is never selected by `mainBranch`.
 */
export async function nothingSelectedHint(service: string, options: BrokerConnection): Promise<string | undefined> {
  const unknown = await unknownService(service, options)
  if (unknown) return unknown
  const client = brokerClient(options)
  const detail = (name: string) => client.request<ServiceDetail>('GET', `/api/services/${encodeURIComponent(name)}`)
  const { provides } = await detail(service)
  if (provides.length === 0) return undefined
  const left = await Promise.all(
    provides.map(async ({ service: consumer, consumerVersion }) => {
      const { mainBranch, versions } = await detail(consumer)
      const branches = versions.find((v) => v.version === consumerVersion)?.branches ?? []
      const offMain = !branches.includes(mainBranch)
      const where = offMain
        ? `${branches.length ? `branch ${branches.join(', ')}; ` : ''}its main branch is ${mainBranch}`
        : `on its main branch, ${mainBranch}`
      // One branch, not the main one: most often a repository whose main branch is master or develop.
      const setMain = offMain && branches.length === 1 ? `treaty service set ${consumer} --main-branch ${branches[0]}` : undefined
      return { text: `${consumer} ${consumerVersion} (${where})`, offMain, setMain }
    }),
  )
  const setMain = left.flatMap((l) => (l.setMain ? [l.setMain] : []))
  const advice = left.some((l) => l.offMain)
    ? `publish them from the main branch${setMain.length ? ` (or, if that is their main branch: ${setMain.join('; ')})` : ''}, or pick them with --selector latest`
    : 'check --selector'
  return `the selectors picked none of the contracts published for ${service}: ${left.map((l) => l.text).join(', ')}; ${advice}`
}
