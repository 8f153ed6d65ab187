/**
 * Typed HTTP client for the broker API (used by the CLI and by tests). Every failure becomes a
 * TreatyError: unreachable broker (names the URL), rejected credentials (names the token to set),
 * 4xx with the broker's own code and field path, 5xx.
 */
import { ErrorCodes, TreatyError } from '../errors.js'
import { preview } from '../json/preview.js'
import type {
  CanIDeployQuery,
  CanIDeployResponse,
  CanIDeployRow,
  ContractsForVerificationRequest,
  ContractsForVerificationResponse,
  CreateVersionRequest,
  DeletionResponse,
  DeploymentRecorded,
  Environment,
  ErrorBody,
  LifecycleResponse,
  MainBranchRequest,
  ObservationRequest,
  ObservationResponse,
  ProviderSchemaRequest,
  ProviderSchemaResponse,
  PublishRequest,
  PublishResponse,
  PutEnvironmentRequest,
  ServiceDetail,
  ServiceVersionRequest,
  UndeploymentRequest,
  VerificationRequest,
  VerificationResponse,
  VersionCreated,
} from '../wire/index.js'
import { type HttpAnswer, HttpFailure, send } from './http.js'

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

/** The broker's error answer (wire/common.ts). */
export type BrokerErrorBody = ErrorBody

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
    let res: HttpAnswer
    try {
      // Read whole inside the try: a reset or timeout while the body streams is the broker being unreachable too.
      res = await send(new URL(`${this.url}${path}`), {
        method,
        headers,
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        timeoutMs: this.#timeoutMs,
      })
    } catch (cause) {
      const reason = cause instanceof HttpFailure ? cause.code : (cause as Error).name
      throw new TreatyError(ErrorCodes.BROKER_UNREACHABLE, `cannot reach the broker at ${this.url} (${reason})`, {
        cause,
        hint: 'check --broker-url / TREATY_BROKER_URL and that the broker is running (treaty broker)',
        details: { url: this.url },
      })
    }
    const { text } = res
    // Not followed: the request (its token, a publication) would go to an address nobody configured.
    if (res.status >= 300 && res.status < 400 && res.location) {
      const location = new URL(res.location, this.url)
      // The broker's base URL there: the location less the path asked for, where it kept it (a prefix stays).
      const base = location.href.endsWith(path) ? location.href.slice(0, -path.length) : location.origin
      throw new TreatyError(ErrorCodes.BROKER_FAILED, `${method} ${path}: ${this.url} redirects (${res.status}) to ${location.href}`, {
        hint: `set --broker-url (or TREATY_BROKER_URL) to ${base}, the address it redirects to`,
        details: { status: res.status, url: this.url, location: location.href },
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
    if (res.status >= 200 && res.status < 300) return json as T
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
      // The broker does not echo the path it was asked (it is the caller's input); the client knows whose URL it built.
      const hint =
        err?.code === ErrorCodes.BROKER_ROUTE_NOT_FOUND
          ? `${method} ${this.url}${path.split('?')[0]} is no route of this broker: check that --broker-url / TREATY_BROKER_URL ` +
            "is the broker's root URL (e.g. http://127.0.0.1:9292, no /api), and that the broker is as new as this client"
          : err?.hint
      throw new TreatyError(ErrorCodes.BROKER_REJECTED, `broker: ${said}`, {
        ...(err?.path ? { path: err.path } : {}),
        ...(hint ? { hint } : {}),
        details: { ...details, request: `${method} ${path}` },
      })
    }
    throw new TreatyError(ErrorCodes.BROKER_FAILED, `the broker failed on ${method} ${path} (${res.status}): ${said}`, { details })
  }

  publishContracts(body: PublishRequest): Promise<PublishResponse> {
    return this.request('POST', '/api/contracts', body)
  }

  /** The contracts to verify, checked: a provider build passes on what this answer lists, so an answer that is not one fails. */
  async contractsForVerification(provider: string, body: ContractsForVerificationRequest): Promise<ContractsForVerificationResponse> {
    const path = `/api/providers/${encodeURIComponent(provider)}/contracts-for-verification`
    const answer = await this.request<unknown>('POST', path, body)
    const problem = notContractsToVerify(answer)
    if (problem) throw this.#notTheApi('POST', path, problem, 'contracts for verification')
    return answer as ContractsForVerificationResponse
  }

  publishVerification(body: VerificationRequest): Promise<VerificationResponse> {
    return this.request('POST', '/api/verifications', body)
  }

  /** Publishes what a provider version emits (e.g. `treaty verify --static` derived it from its types), for static can-i-deploy. */
  publishProviderSchema(provider: string, body: ProviderSchemaRequest): Promise<ProviderSchemaResponse> {
    return this.request('POST', `/api/providers/${encodeURIComponent(provider)}/schemas`, body)
  }

  /** The decision, checked: a pipeline gates on `deployable`, so an answer that is not one is a failure, never a "yes". */
  async canIDeploy(query: CanIDeployQuery): Promise<CanIDeployResponse> {
    const answer = await this.request<unknown>('GET', `/api/can-i-deploy?${new URLSearchParams(query)}`)
    const problem = notADecision(answer)
    if (problem) throw this.#notTheApi('GET', '/api/can-i-deploy', problem, 'a can-i-deploy answer')
    return answer as CanIDeployResponse
  }

  /** A 2xx answer in JSON that is not what the route answers: not a Treaty broker (exit 3), never a verdict. */
  #notTheApi(method: string, path: string, problem: string, what: string): TreatyError {
    return new TreatyError(ErrorCodes.BROKER_FAILED, `${method} ${path}: ${this.url} answered with ${problem}, which is not ${what}`, {
      hint: 'is --broker-url pointing at a Treaty broker (treaty broker)?',
      details: { url: this.url },
    })
  }

  /** Publishes live-traffic observations (`treaty observe`): cumulative totals per run, so a re-send is idempotent. */
  publishObservations(body: ObservationRequest): Promise<ObservationResponse> {
    return this.request('POST', '/api/observations', body)
  }

  recordDeployment(environment: string, body: ServiceVersionRequest): Promise<DeploymentRecorded> {
    return this.request('POST', `/api/environments/${encodeURIComponent(environment)}/deployments`, body)
  }

  /** The service's deployed version leaves the environment. */
  recordUndeployment(environment: string, body: UndeploymentRequest): Promise<LifecycleResponse> {
    return this.request('POST', `/api/environments/${encodeURIComponent(environment)}/undeployments`, body)
  }

  /** A released version (one of several live at once, e.g. a mobile app). */
  recordRelease(environment: string, body: ServiceVersionRequest): Promise<LifecycleResponse> {
    return this.request('POST', `/api/environments/${encodeURIComponent(environment)}/releases`, body)
  }

  recordSupportEnded(environment: string, body: ServiceVersionRequest): Promise<LifecycleResponse> {
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
  createVersion(service: string, version: string, body: CreateVersionRequest): Promise<VersionCreated> {
    return this.request('PUT', `/api/services/${encodeURIComponent(service)}/versions/${encodeURIComponent(version)}`, body)
  }

  /** Sets the service's main branch (what the mainBranch selector and the pending rule follow). */
  setMainBranch(service: string, body: MainBranchRequest): Promise<ServiceDetail> {
    return this.request('PATCH', `/api/services/${encodeURIComponent(service)}`, body)
  }

  putEnvironment(name: string, body: PutEnvironmentRequest): Promise<Environment> {
    return this.request('PUT', `/api/environments/${encodeURIComponent(name)}`, body)
  }
}

/** What a 2xx answer that should be a JSON object was instead, or undefined when it is one. */
function notAnObject(answer: unknown): string | undefined {
  if (answer === undefined) return 'no body'
  return answer === null || typeof answer !== 'object' || Array.isArray(answer) ? preview(answer) : undefined
}

/** The statuses a can-i-deploy row has, checked against the wire type (a value import would load the wire schemas at start-up). */
const ROW_STATUSES: Record<CanIDeployRow['status'], true> = { verified: true, failed: true, unverified: true }

/**
 * What makes a 2xx answer unusable as a can-i-deploy decision, or undefined when it is one: `deployable` a
 * boolean (a string "false" is truthy), rows with a status, and no "yes" beside a row that is not verified.
 */
function notADecision(answer: unknown): string | undefined {
  const notObject = notAnObject(answer)
  if (notObject) return notObject
  const { deployable, reasons, rows } = answer as Partial<Record<keyof CanIDeployResponse, unknown>>
  if (typeof deployable !== 'boolean') return `deployable ${preview(deployable)} (not true or false)`
  if (!Array.isArray(reasons) || !Array.isArray(rows)) return 'no reasons or rows'
  const statuses = rows.map((r) => (r !== null && typeof r === 'object' ? (r as { status?: unknown }).status : undefined))
  if (statuses.some((s) => typeof s !== 'string' || !Object.hasOwn(ROW_STATUSES, s))) return 'a row without a status'
  if (deployable && statuses.some((s) => s !== 'verified')) return 'deployable true beside a row that is not verified'
  return undefined
}

/** What makes a 2xx answer unusable as contracts for verification: each entry needs its content hash and its contract. */
function notContractsToVerify(answer: unknown): string | undefined {
  const notObject = notAnObject(answer)
  if (notObject) return notObject
  const { contracts } = answer as { contracts?: unknown }
  if (!Array.isArray(contracts)) return `contracts ${preview(contracts)} (not a list)`
  const bad = contracts.findIndex((c) => {
    const entry = c as { contentHash?: unknown; contract?: unknown } | null
    return notAnObject(entry) !== undefined || typeof entry!.contentHash !== 'string' || notAnObject(entry!.contract) !== undefined
  })
  return bad >= 0 ? `contracts[${bad}] without a contentHash and a contract` : undefined
}

/** One line saying what a non-JSON answer was: its content type and, for HTML, its title. */
function notJson(res: HttpAnswer, text: string): string {
  const type = (res.contentType ?? 'no content type').split(';')[0]!.trim()
  const title = /<title[^>]*>([^<]{0,200})<\/title>/i.exec(text)?.[1]?.replace(/\s+/g, ' ').trim()
  return title ? `${type} "${title}"` : `${type} (${text.length} bytes)`
}
