/**
 * The UI's only door to data: the broker's public API, same origin, with the read token of this tab.
 * Types are the broker API's own (@treaty/core/wire, derived from the route schemas; type-only, erased from
 * the bundle); dates arrive as strings.
 */
import type {
  CanIDeployResponse,
  ContractView,
  DeliveriesResponse,
  Delivery,
  Deployment,
  DeploymentsResponse,
  Environment,
  EnvironmentsResponse,
  MatrixResponse,
  Pair,
  PairsResponse,
  ServiceDetail,
  ServiceSummary,
  ServicesResponse,
  Webhook,
  WebhooksResponse,
} from '@treaty/core/wire'
// The error family's base, bundled from core's source (no Node dependency in it): the UI's errors are Treaty errors too.
import { TreatyError } from '../../../core/src/errors.js'
import { readToken } from './token.js'

export type PairRow = Pair
export type ContractPage = ContractView
export type ServicePage = ServiceDetail
export type ServiceRow = ServiceSummary
export type EnvironmentRow = Environment
export type DeploymentRow = Deployment
export type WebhookRow = Webhook
export type DeliveryRow = Delivery
export type MatrixAnswer = MatrixResponse
export type CanIDeployAnswer = CanIDeployResponse

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
  services: () => getJson<ServicesResponse>('/api/services'),
  service: (name: string) => getJson<ServicePage>(`/api/services/${enc(name)}`, { versions: 50 }),
  pairs: (query: Query) => getJson<PairsResponse>('/api/pairs', query),
  contract: (consumer: string, provider: string, version?: string) =>
    getJson<ContractPage>(`/api/pairs/${enc(consumer)}/${enc(provider)}/contract`, { version }),
  matrix: (service: string, version: string) => getJson<MatrixAnswer>('/api/matrix', { service, version }),
  environments: () => getJson<EnvironmentsResponse>('/api/environments'),
  deployments: (environment: string) => getJson<DeploymentsResponse>(`/api/environments/${enc(environment)}/deployments`),
  canIDeploy: (service: string, version: string, environment: string) =>
    getJson<CanIDeployAnswer>('/api/can-i-deploy', { service, version, environment }),
  webhooks: () => getJson<WebhooksResponse>('/api/webhooks'),
  deliveries: (id: string) => getJson<DeliveriesResponse>(`/api/webhooks/${enc(id)}/deliveries`, { limit: 50 }),
}
