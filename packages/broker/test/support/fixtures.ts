/** Builders and small HTTP helpers shared by the broker's integration tests. */
import { randomBytes } from 'node:crypto'
import type { Contract } from '@treaty/core'
import type { PublishRequest } from '@treaty/core/wire'
import type { FastifyInstance, LightMyRequestResponse } from 'fastify'
import { ensureServices, ensureVersion } from '../../src/store/common.js'
import type { Queryable } from '../../src/store/database.js'

/** A name unique to this test, so tests sharing one broker never see each other's data. */
export function unique(base: string): string {
  return `${base}-${randomBytes(4).toString('hex')}`
}

/**
 * A valid contract. `variant` changes the payload schema, and so the content hash; `channels` gives one
 * expectation per channel.
 */
export function contractDoc(consumer: string, provider: string, opts: { variant?: number; channels?: string[] } = {}): Contract {
  const channels = opts.channels ?? ['pdf.requested']
  const field = `field${opts.variant ?? 0}`
  return {
    treaty: '1',
    consumer,
    provider,
    expectations: channels.map((channel) => ({
      description: `a message on ${channel}`,
      channel,
      providerStates: [],
      payload: {
        schema: { type: 'object', required: ['id', field], properties: { id: { type: 'string' }, [field]: { type: 'integer' } } },
        example: { id: 'doc-1', [field]: 1 },
      },
    })),
  }
}

export interface Client {
  get(url: string, token?: string): Promise<LightMyRequestResponse>
  post(url: string, body: unknown, token?: string): Promise<LightMyRequestResponse>
  put(url: string, body: unknown, token?: string): Promise<LightMyRequestResponse>
  patch(url: string, body: unknown, token?: string): Promise<LightMyRequestResponse>
  delete(url: string, token?: string): Promise<LightMyRequestResponse>
}

export function client(app: FastifyInstance, defaultToken?: string): Client {
  const headers = (token: string | undefined) => {
    const t = token ?? defaultToken
    return t ? { authorization: `Bearer ${t}` } : {}
  }
  return {
    get: (url, token) => app.inject({ method: 'GET', url, headers: headers(token) }),
    post: (url, body, token) => app.inject({ method: 'POST', url, payload: body as object, headers: headers(token) }),
    put: (url, body, token) => app.inject({ method: 'PUT', url, payload: body as object, headers: headers(token) }),
    patch: (url, body, token) => app.inject({ method: 'PATCH', url, payload: body as object, headers: headers(token) }),
    delete: (url, token) => app.inject({ method: 'DELETE', url, headers: headers(token) }),
  }
}

/** The parsed JSON body of a response. */
// biome-ignore lint/suspicious/noExplicitAny: tests read response bodies loosely and assert on them.
export function json(res: LightMyRequestResponse): any {
  return JSON.parse(res.body)
}

export async function publish(c: Client, body: PublishRequest): Promise<LightMyRequestResponse> {
  return c.post('/api/contracts', body)
}

/** Publishes and returns the content hash of each contract, by provider. */
export async function published(c: Client, body: PublishRequest): Promise<Record<string, string>> {
  const res = await publish(c, body)
  if (res.statusCode !== 201 && res.statusCode !== 200) throw new Error(`publish failed: ${res.statusCode} ${res.body}`)
  return Object.fromEntries(json(res).contracts.map((c: { provider: string; contentHash: string }) => [c.provider, c.contentHash]))
}

/**
 * Makes service versions known, as a provider's earlier publish would have: deployments and releases
 * are refused for versions the broker has never seen.
 */
export async function knownVersions(db: Queryable, service: string, versions: readonly string[]): Promise<void> {
  const now = new Date()
  const ids = await ensureServices(db, [service], now)
  for (const v of versions) await ensureVersion(db, ids.get(service)!, v, now)
}
