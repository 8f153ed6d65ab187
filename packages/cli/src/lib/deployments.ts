import { setTimeout as sleep } from 'node:timers/promises'
import type { CanIDeployResponse } from '@treaty/core'
import type { LifecycleResponse, VersionCreated } from '@treaty/core/client'
import type { ServiceDetail } from '@treaty/core/wire'
import { CliError } from '../exit-codes.js'
import { type BrokerConnection, brokerClient, required } from './broker-client.js'

const SERVICE_HINT = 'pass --service, set TREATY_SERVICE, or set service in treaty.config'

/** `--service` and `--app-version`, both required: a usage error naming the flag when one is missing. */
function serviceAndVersion(options: { service?: string | undefined; appVersion?: string | undefined }): {
  service: string
  version: string
} {
  return {
    service: required(options.service, '--service', SERVICE_HINT),
    version: required(options.appVersion, '--app-version', 'pass --app-version (or TREATY_APP_VERSION)'),
  }
}

export interface CanIDeployOptions extends BrokerConnection {
  service?: string | undefined
  appVersion?: string | undefined
  environment?: string | undefined
  /** Ask again while the answer depends on results not yet published (default 0). */
  retryWhileUnknown?: number | undefined
  /** Seconds between those attempts (default 10). */
  retryInterval?: number | undefined
  /** Called before each retry (for progress output). */
  onRetry?: (attempt: number, response: CanIDeployResponse) => void
}

/** True when a "no" is only for want of results (a verification may still be running). */
export function isUnknown(response: CanIDeployResponse): boolean {
  if (response.deployable) return false
  const rows = response.rows ?? []
  return rows.length > 0 && rows.some((r) => r.status === 'unverified') && !rows.some((r) => r.status === 'failed')
}

export async function canIDeploy(options: CanIDeployOptions): Promise<CanIDeployResponse> {
  const { service, version } = serviceAndVersion(options)
  const environment = required(options.environment, '--to', 'pass --to <environment>, e.g. --to production')
  const client = brokerClient(options)
  const retries = options.retryWhileUnknown ?? 0
  const interval = options.retryInterval ?? 10
  if (!Number.isInteger(retries) || retries < 0) {
    throw new CliError(`--retry-while-unknown must be a whole number >= 0 (got ${retries})`, 'e.g. --retry-while-unknown 6')
  }
  if (!Number.isFinite(interval) || interval < 0) {
    throw new CliError(`--retry-interval must be a number of seconds >= 0 (got ${interval})`, 'e.g. --retry-interval 10')
  }
  for (let attempt = 0; ; attempt++) {
    const response = await client.canIDeploy({ service, version, environment })
    if (attempt >= retries || !isUnknown(response)) return response
    options.onRetry?.(attempt + 1, response)
    await sleep(interval * 1000)
  }
}

export interface RecordDeploymentOptions extends BrokerConnection {
  service?: string | undefined
  appVersion?: string | undefined
  environment?: string | undefined
}

export async function recordDeployment(options: RecordDeploymentOptions): Promise<unknown> {
  const { service, version } = serviceAndVersion(options)
  const environment = required(options.environment, '--environment', 'pass --environment, e.g. --environment production')
  return brokerClient(options).recordDeployment(environment, { service, version })
}

export interface CreateVersionOptions extends BrokerConnection {
  service?: string | undefined
  appVersion?: string | undefined
  branch?: string | undefined
}

/** Registers `service@appVersion` (and the service), adding the branch: Pact's create-or-update-version. */
export async function createVersion(options: CreateVersionOptions): Promise<VersionCreated> {
  const { service, version } = serviceAndVersion(options)
  return brokerClient(options).createVersion(service, version, options.branch === undefined ? {} : { branch: options.branch })
}

/** Sets a service's main branch, which the mainBranch selector and the pending rule follow. */
export async function setMainBranch(
  options: BrokerConnection & { service: string; mainBranch?: string | undefined },
): Promise<ServiceDetail> {
  const mainBranch = required(options.mainBranch, '--main-branch', 'pass --main-branch, e.g. --main-branch master')
  return brokerClient(options).setMainBranch(options.service, { mainBranch })
}

export async function createEnvironment(options: BrokerConnection & { name: string; production?: boolean | undefined }): Promise<unknown> {
  return brokerClient(options).putEnvironment(options.name, { production: Boolean(options.production) })
}

export interface LifecycleOptions extends BrokerConnection {
  service?: string | undefined
  appVersion?: string | undefined
  environment?: string | undefined
}

/** The service's deployed version leaves the environment (Pact's record-undeployment). */
export async function recordUndeployment(options: LifecycleOptions): Promise<LifecycleResponse> {
  const service = required(options.service, '--service', SERVICE_HINT)
  const environment = required(options.environment, '--environment', 'pass --environment, e.g. --environment production')
  return brokerClient(options).recordUndeployment(environment, { service })
}

/** A released version, live alongside earlier releases until its support ends. */
export async function recordRelease(options: LifecycleOptions): Promise<LifecycleResponse> {
  const [environment, body] = lifecycleArgs(options)
  return brokerClient(options).recordRelease(environment, body)
}

export async function recordSupportEnded(options: LifecycleOptions): Promise<LifecycleResponse> {
  const [environment, body] = lifecycleArgs(options)
  return brokerClient(options).recordSupportEnded(environment, body)
}

function lifecycleArgs(options: LifecycleOptions): [string, { service: string; version: string }] {
  const { service, version } = serviceAndVersion(options)
  const environment = required(options.environment, '--environment', 'pass --environment, e.g. --environment app-store')
  return [environment, { service, version }]
}
