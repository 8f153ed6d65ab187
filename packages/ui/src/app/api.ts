/**
 * The UI's only door to data: the broker's public API, same origin, with the read token of this tab.
 * Types come from the broker's own read models (type-only, erased from the bundle); dates arrive as strings.
 */
import type {
  CanIDeployResult,
  ContractView,
  DeliveryLog,
  Deployment,
  Environment,
  MatrixRow,
  Pair,
  ServiceDetail,
  ServiceSummary,
  Webhook,
} from '../../../broker/src/index.js'
// The error family's base, bundled from core's source (no Node dependency in it): the UI's errors are Treaty errors too.
import { TreatyError } from '../../../core/src/errors.js'
import { readToken } from './token.js'

/** A broker type as JSON carries it: every Date becomes its ISO string. */
export type Wire<T> = T extends Date
  ? string
  : T extends (infer U)[]
    ? Wire<U>[]
    : T extends readonly (infer U)[]
      ? readonly Wire<U>[]
      : T extends object
        ? { [K in keyof T]: Wire<T[K]> }
        : T

export type PairRow = Wire<Pair>
export type ContractPage = Wire<ContractView>
export type ServicePage = Wire<ServiceDetail>
export type ServiceRow = Wire<ServiceSummary>
export type EnvironmentRow = Wire<Environment>
export type DeploymentRow = Wire<Deployment>
export type WebhookRow = Wire<Webhook>
export type DeliveryRow = Wire<DeliveryLog>

export interface MatrixAnswer {
  service: string
  version: string
  truncated: boolean
  rows: Wire<MatrixRow>[]
}

export type CanIDeployAnswer = Wire<CanIDeployResult>

/** An API answer other than 2xx, with the broker's stable error code, field path and hint. */
export class ApiError extends TreatyError<string> {
  readonly status: number

  constructor(status: number, error: { code?: string; message?: string; path?: string; hint?: string } | undefined) {
    super(error?.code ?? 'UNKNOWN', error?.message ?? `HTTP ${status}`, {
      ...(error?.path ? { path: error.path } : {}),
      ...(error?.hint ? { hint: error.hint } : {}),
    })
    this.name = 'ApiError'
    this.status = status
  }

  /** The broker wants a token (none given, or a wrong one). */
  get needsToken(): boolean {
    return this.status === 401
  }
}

export type Query = Record<string, string | number | undefined>

export function apiPath(path: string, query: Query = {}): string {
  const params = new URLSearchParams()
  for (const [k, v] of Object.entries(query)) if (v !== undefined && v !== '') params.set(k, String(v))
  const qs = params.toString()
  return qs ? `${path}?${qs}` : path
}

export async function getJson<T>(path: string, query: Query = {}): Promise<T> {
  const token = readToken()
  const response = await fetch(apiPath(path, query), {
    headers: { accept: 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
  })
  const body = (await response.json().catch(() => null)) as {
    error?: { code?: string; message?: string; path?: string; hint?: string }
  } | null
  if (!response.ok) throw new ApiError(response.status, body?.error)
  return body as T
}

export const enc = encodeURIComponent

export const api = {
  services: () => getJson<{ services: ServiceRow[] }>('/api/services'),
  service: (name: string) => getJson<ServicePage>(`/api/services/${enc(name)}`, { versions: 50 }),
  pairs: (query: Query) => getJson<{ total: number; pairs: PairRow[] }>('/api/pairs', query),
  contract: (consumer: string, provider: string, version?: string) =>
    getJson<ContractPage>(`/api/pairs/${enc(consumer)}/${enc(provider)}/contract`, { version }),
  matrix: (service: string, version: string) => getJson<MatrixAnswer>('/api/matrix', { service, version }),
  environments: () => getJson<{ environments: EnvironmentRow[] }>('/api/environments'),
  deployments: (environment: string) => getJson<{ deployments: DeploymentRow[] }>(`/api/environments/${enc(environment)}/deployments`),
  canIDeploy: (service: string, version: string, environment: string) =>
    getJson<CanIDeployAnswer>('/api/can-i-deploy', { service, version, environment }),
  webhooks: () => getJson<{ webhooks: WebhookRow[] }>('/api/webhooks'),
  deliveries: (id: string) => getJson<{ deliveries: DeliveryRow[] }>(`/api/webhooks/${enc(id)}/deliveries`, { limit: 50 }),
}
