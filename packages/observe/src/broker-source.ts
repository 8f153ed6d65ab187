/**
 * What to observe against, from the broker: the contracts of the consumer versions deployed in an
 * environment with the observed provider(s), and which provider versions run there (observations are
 * evidence about a provider version's real traffic).
 */
import type { BrokerClient, ContractForVerification } from '@treaty/core/client'
import type { ObservedContract } from './types.js'

export interface DeployedState {
  contracts: ObservedContract[]
  /** Provider name → version deployed in the environment. */
  providerVersions: Map<string, string>
  /** A fingerprint of the deployments: when it changes, contracts are loaded again. */
  fingerprint: string
}

interface Deployment {
  service: string
  version: string
}

export async function deploymentsFingerprint(
  client: BrokerClient,
  environment: string,
): Promise<{ deployments: Deployment[]; fingerprint: string }> {
  const { deployments } = await client.request<{ deployments: Deployment[] }>(
    'GET',
    `/api/environments/${encodeURIComponent(environment)}/deployments`,
  )
  const fingerprint = deployments
    .map((d) => `${d.service}@${d.version}`)
    .sort()
    .join(',')
  return { deployments, fingerprint }
}

/** `services`: the providers to observe; undefined for every service deployed in the environment (`--all`). */
export async function loadDeployedContracts(
  client: BrokerClient,
  environment: string,
  services: string[] | undefined,
): Promise<DeployedState> {
  const { deployments, fingerprint } = await deploymentsFingerprint(client, environment)
  const providers = services ?? [...new Set(deployments.map((d) => d.service))]
  const contracts: ObservedContract[] = []
  for (const provider of providers) {
    const res = await client.contractsForVerification(provider, { selectors: [{ deployed: true, environment }], includePending: true })
    for (const target of res.contracts) contracts.push(toObserved(target, environment))
  }
  return { contracts, providerVersions: new Map(deployments.map((d) => [d.service, d.version])), fingerprint }
}

function toObserved(target: ContractForVerification, environment: string): ObservedContract {
  const versions = (target.consumerVersions as { version: string }[] | undefined) ?? []
  return {
    consumer: target.contract.consumer,
    consumerVersion: versions.at(-1)?.version ?? 'unknown',
    environment,
    contentHash: target.contentHash,
    contract: target.contract,
  }
}
