/**
 * Typed HTTP client for the broker API (used by the CLI and by tests). Every failure becomes a
 * TreatyError: unreachable broker (names the URL), rejected credentials (names the token to set),
 * 4xx with the broker's own code and field path, 5xx.
 */
import type { Contract } from '../contract/types.js'
import { ErrorCodes, TreatyError } from '../errors.js'
import type { JsonSchema } from '../json/types.js'

export interface BrokerClientOptions {
  /** Base URL, e.g. `http://127.0.0.1:9292`. */
  url: string
  /** Bearer token (read, write or admin, as the operation needs). */
  token?: string
  /** Per-request timeout (default 30 s). */
  timeoutMs?: number
  /** Sent as `x-correlation-id`, so broker log lines can be matched to this run. */
  correlationId?: string
}

export interface BrokerErrorBody {
  error: { code: string; message: string; path?: string; hint?: string }
}

export class BrokerClient {
  readonly url: string
  readonly #token: string | undefined
  readonly #timeoutMs: number
  readonly #correlationId: string | undefined

  constructor(options: BrokerClientOptions) {
    let parsed: URL
    try {
      parsed = new URL(options.url)
    } catch {
      throw new TreatyError(ErrorCodes.BROKER_UNREACHABLE, `broker URL ${JSON.stringify(options.url)} is not a URL`, {
        hint: 'set --broker-url or TREATY_BROKER_URL to e.g. http://127.0.0.1:9292',
      })
    }
    if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
      throw new TreatyError(ErrorCodes.BROKER_UNREACHABLE, `broker URL ${options.url} must be http(s)`, {
        hint: 'set --broker-url or TREATY_BROKER_URL to e.g. http://127.0.0.1:9292',
      })
    }
    this.url = options.url.replace(/\/+$/, '')
    this.#token = options.token
    this.#timeoutMs = options.timeoutMs ?? 30_000
    this.#correlationId = options.correlationId
  }

  /** Sends a JSON request and returns the parsed JSON answer; throws TreatyError on any failure. */
  async request<T>(method: string, path: string, body?: unknown): Promise<T> {
    const headers: Record<string, string> = { accept: 'application/json' }
    if (body !== undefined) headers['content-type'] = 'application/json'
    if (this.#token) headers.authorization = `Bearer ${this.#token}`
    if (this.#correlationId) headers['x-correlation-id'] = this.#correlationId
    let res: Response
    let text: string
    try {
      res = await fetch(`${this.url}${path}`, {
        method,
        headers,
        body: body === undefined ? null : JSON.stringify(body),
        signal: AbortSignal.timeout(this.#timeoutMs),
      })
      // Read inside the try: a reset or timeout while the body streams is the broker being unreachable too.
      text = await res.text()
    } catch (cause) {
      const reason = (cause as { cause?: { code?: string } }).cause?.code ?? (cause as Error).name
      throw new TreatyError(ErrorCodes.BROKER_UNREACHABLE, `cannot reach the broker at ${this.url} (${reason})`, {
        cause,
        hint: 'check --broker-url / TREATY_BROKER_URL and that the broker is running (treaty broker)',
        details: { url: this.url },
      })
    }
    let json: unknown
    try {
      json = text === '' ? undefined : JSON.parse(text)
    } catch {
      json = undefined
    }
    // Not JSON (a proxy's or another server's HTML page): not a Treaty broker. Summarised in one line, never dumped.
    if (json === undefined && text !== '') {
      throw new TreatyError(
        ErrorCodes.BROKER_FAILED,
        `${method} ${path}: ${this.url} answered ${res.status} with ${notJson(res, text)}, not the Treaty broker API`,
        { hint: 'is --broker-url pointing at a Treaty broker (treaty broker)?', details: { status: res.status, url: this.url } },
      )
    }
    if (res.ok) return json as T
    const err = (json as BrokerErrorBody | undefined)?.error
    const said = err?.message ?? (text.slice(0, 200) || res.statusText)
    const details = { status: res.status, brokerCode: err?.code, path: err?.path }
    // The broker's 403 for a host it does not serve is not about the token: a rejection like any other 4xx.
    if (res.status === 401 || (res.status === 403 && (err?.code === undefined || err.code === ErrorCodes.BROKER_FORBIDDEN))) {
      throw new TreatyError(
        res.status === 401 ? ErrorCodes.BROKER_UNAUTHORIZED : ErrorCodes.BROKER_FORBIDDEN,
        `the broker refused ${method} ${path} (${res.status}): ${said}`,
        {
          hint:
            res.status === 401
              ? 'set --token or TREATY_TOKEN to a token the broker accepts'
              : 'this operation needs a token with more rights (write for publishing and deployments, admin for environments and webhooks)',
          details,
        },
      )
    }
    if (res.status >= 400 && res.status < 500) {
      throw new TreatyError(ErrorCodes.BROKER_REJECTED, `broker: ${said}`, {
        ...(err?.path ? { path: err.path } : {}),
        ...(err?.hint ? { hint: err.hint } : {}),
        details: { ...details, request: `${method} ${path}` },
      })
    }
    throw new TreatyError(ErrorCodes.BROKER_FAILED, `the broker failed on ${method} ${path} (${res.status}): ${said}`, { details })
  }

  publishContracts(body: PublishRequest): Promise<PublishResponse> {
    return this.request('POST', '/api/contracts', body)
  }

  contractsForVerification(provider: string, body: ContractsForVerificationRequest): Promise<ContractsForVerificationResponse> {
    return this.request('POST', `/api/providers/${encodeURIComponent(provider)}/contracts-for-verification`, body)
  }

  publishVerification(body: VerificationRequest): Promise<unknown> {
    return this.request('POST', '/api/verifications', body)
  }

  /** Publishes what a provider version emits (e.g. `treaty verify --static` derived it from its types), for static can-i-deploy. */
  publishProviderSchema(provider: string, body: ProviderSchemaRequest): Promise<ProviderSchemaResponse> {
    return this.request('POST', `/api/providers/${encodeURIComponent(provider)}/schemas`, body)
  }

  canIDeploy(query: { service: string; version: string; environment: string }): Promise<CanIDeployResponse> {
    return this.request('GET', `/api/can-i-deploy?${new URLSearchParams(query)}`)
  }

  /** Publishes live-traffic observations (`treaty observe`): cumulative totals per run, so a re-send is idempotent. */
  publishObservations(body: ObservationRequest): Promise<ObservationResponse> {
    return this.request('POST', '/api/observations', body)
  }

  recordDeployment(environment: string, body: { service: string; version: string }): Promise<unknown> {
    return this.request('POST', `/api/environments/${encodeURIComponent(environment)}/deployments`, body)
  }

  /** The service's deployed version leaves the environment. */
  recordUndeployment(environment: string, body: { service: string }): Promise<LifecycleResponse> {
    return this.request('POST', `/api/environments/${encodeURIComponent(environment)}/undeployments`, body)
  }

  /** A released version (one of several live at once, e.g. a mobile app). */
  recordRelease(environment: string, body: { service: string; version: string }): Promise<LifecycleResponse> {
    return this.request('POST', `/api/environments/${encodeURIComponent(environment)}/releases`, body)
  }

  recordSupportEnded(environment: string, body: { service: string; version: string }): Promise<LifecycleResponse> {
    return this.request('POST', `/api/environments/${encodeURIComponent(environment)}/support-ended`, body)
  }

  /** Admin: deletes a service with everything hanging off it; `by` is logged with the deletion. */
  deleteService(service: string, by: string): Promise<DeletionResponse> {
    return this.request('DELETE', `/api/services/${encodeURIComponent(service)}?${new URLSearchParams({ by })}`)
  }

  /** Admin: deletes one version with its contracts, verifications, deployments and provider schema. */
  deleteVersion(service: string, version: string, by: string): Promise<DeletionResponse> {
    return this.request(
      'DELETE',
      `/api/services/${encodeURIComponent(service)}/versions/${encodeURIComponent(version)}?${new URLSearchParams({ by })}`,
    )
  }

  /** Registers a service version (and the service) if new, adding the branch (Pact's create-or-update-version). */
  createVersion(service: string, version: string, body: { branch?: string }): Promise<VersionCreatedResponse> {
    return this.request('PUT', `/api/services/${encodeURIComponent(service)}/versions/${encodeURIComponent(version)}`, body)
  }

  putEnvironment(name: string, body: { production?: boolean }): Promise<unknown> {
    return this.request('PUT', `/api/environments/${encodeURIComponent(name)}`, body)
  }
}

/** One line saying what a non-JSON answer was: its content type and, for HTML, its title. */
function notJson(res: Response, text: string): string {
  const type = (res.headers.get('content-type') ?? 'no content type').split(';')[0]!.trim()
  const title = /<title[^>]*>([^<]{0,200})<\/title>/i.exec(text)?.[1]?.replace(/\s+/g, ' ').trim()
  return title ? `${type} "${title}"` : `${type} (${text.length} bytes)`
}

/** `PUT /api/services/:name/versions/:version`: what is registered now; `changed` false when it all was already. */
export interface VersionCreatedResponse {
  service: string
  version: string
  branches: string[]
  changed: boolean
}

export interface PublishRequest {
  consumer: string
  version: string
  branch?: string
  tags?: string[]
  contracts: Contract[]
  overwrite?: boolean
}

export interface PublishResponse {
  [key: string]: unknown
}

export type Selector =
  | { mainBranch: true }
  | { branch: string }
  | { matchingBranch: true }
  | { deployed: true; environment?: string }
  | { latest: true; consumer?: string }
  | { consumer: string; version: string }

export interface ContractsForVerificationRequest {
  selectors: Selector[]
  providerBranch?: string
  includePending?: boolean
  includeWipSince?: string
}

export interface ContractForVerification {
  contentHash: string
  contract: Contract
  pending: boolean
  wip: boolean
  selectedBy: string[]
  [key: string]: unknown
}

export interface ContractsForVerificationResponse {
  contracts: ContractForVerification[]
}

export interface VerificationRequest {
  provider: string
  providerVersion: string
  branch?: string
  results: {
    contentHash: string
    success: boolean
    /** Per expectation: its outcome, and the mismatches as one line each. */
    expectations: { description: string; success: boolean; status?: string; mismatches?: string[] }[]
  }[]
}

/** One (consumer version, channel) pair as an observer saw the provider version's live traffic. */
export interface Observation {
  provider: string
  providerVersion: string
  consumer: string
  consumerVersion: string
  contentHash: string
  channel: string
  /** Messages checked against the consumer version's expectations on the channel, since the run started. */
  messages: number
  /** Of those, messages none of its expectations accepted. */
  mismatches: number
  /** Failing JSON pointers (`payload/items/0/qty`) with what was expected and how often; at most 20. */
  pointers: { pointer: string; expected: string; count: number }[]
  /** One rejected message: subject, headers with secrets masked, a truncated payload preview. */
  example?: { subject: string; headers: Record<string, string>; preview: string; at: string }
}

export interface ObservationRequest {
  /** Identifies one observer run: totals are cumulative per run, so sending them again changes nothing. */
  runId: string
  environment: string
  observations: Observation[]
}

export interface ObservationResponse {
  recorded: number
}

export interface ProviderSchemaRequest {
  providerVersion: string
  branch?: string
  /** One entry per producers-map key (expectation description, `channel#messageName` or channel). */
  producers: { key: string; channel?: string; payload: JsonSchema; headers: JsonSchema }[]
  overwrite?: boolean
}

export interface ProviderSchemaResponse {
  status: 'created' | 'unchanged' | 'overwritten'
  provider: string
  providerVersion: string
  contentHash: string
}

export interface DeletionResponse {
  service: string
  version: string | null
  deletedBy: string
  tokenLevel: string
  /** Rows removed, per table. */
  removed: Record<string, number>
  deletedAt: string
}

export interface LifecycleResponse {
  environment: string
  service: string
  version: string
  changed: boolean
}

export interface CanIDeployResponse {
  deployable: boolean
  reasons: string[]
  rows: Record<string, unknown>[]
}
