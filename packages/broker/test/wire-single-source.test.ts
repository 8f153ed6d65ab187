// No wire shape is declared by hand twice: every JSON API route validates and serialises with the very schema
// objects @treaty/core/wire exports (from which the client's, the CLI's and the UI's types are derived), the
// OpenAPI document lists each of those routes, and no package declares a request/response type of its own.

import { readdir, readFile } from 'node:fs/promises'
import { dirname, join, relative, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import * as wire from '@treaty/core/wire'
import Fastify, { type RouteOptions } from 'fastify'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { API_ROUTES, buildBroker } from '../src/app.js'
import { TokenAuth } from '../src/auth.js'
import { Metrics } from '../src/metrics.js'
import { IN_MEMORY, openStore, type Store } from '../src/store/store.js'
import { json } from './support/fixtures.js'

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../../..')
const wireObjects = new Set<unknown>(Object.values(wire).filter((v) => typeof v === 'object' && v !== null))

let store: Store
const routes: RouteOptions[] = []

beforeAll(async () => {
  store = await openStore({ dataDir: IN_MEMORY })
  const app = Fastify()
  app.addHook('onRoute', (route) => {
    routes.push(route)
  })
  for (const plugin of API_ROUTES) await app.register(plugin({ store, auth: new TokenAuth(), metrics: new Metrics() }))
  await app.ready()
  await app.close()
})

afterAll(async () => {
  await store.close()
})

/** `GET /api/pairs/:consumer/:provider/contract`, as OpenAPI writes it: `get /api/pairs/{consumer}/{provider}/contract`. */
const openApiKey = (method: string, url: string) => `${method.toLowerCase()} ${url.replace(/:(\w+)/g, '{$1}')}`
const methods = (r: RouteOptions) => (Array.isArray(r.method) ? r.method : [r.method]).filter((m) => m !== 'HEAD')

describe('the broker API’s wire schemas', () => {
  it('are @treaty/core/wire’s objects for every request part and every success response of every API route', () => {
    const apiRoutes = routes.filter((r) => r.url.startsWith('/api/'))
    expect(apiRoutes.length).toBeGreaterThan(30)
    const foreign: string[] = []
    for (const r of apiRoutes) {
      const schema = (r.schema ?? {}) as Record<string, unknown> & { response?: Record<string, unknown> }
      const parts: [string, unknown][] = [
        ['params', schema.params],
        ['querystring', schema.querystring],
        ['body', schema.body],
        ...Object.entries(schema.response ?? {})
          .filter(([status]) => status.startsWith('2') && status !== '204')
          .map(([status, s]): [string, unknown] => [`response ${status}`, s]),
      ]
      for (const [part, s] of parts) {
        if (s !== undefined && !wireObjects.has(s)) foreign.push(`${methods(r).join(',')} ${r.url} ${part}`)
      }
      // Every error answer is the one error schema too.
      for (const [status, s] of Object.entries(schema.response ?? {})) {
        if (Number(status) >= 400 && s !== wire.errorSchema) foreign.push(`${methods(r).join(',')} ${r.url} response ${status}`)
      }
    }
    expect(foreign).toEqual([])
  })

  it('cover every /api route the broker serves, and its OpenAPI document lists each with its schemas', async () => {
    const app = await buildBroker({ store, webhooks: { enabled: false }, logLevel: 'warn' })
    try {
      const doc = json(await app.inject({ method: 'GET', url: '/docs/openapi.json' }))
      const documented = new Map<string, Record<string, unknown>>()
      for (const [path, ops] of Object.entries(doc.paths as Record<string, Record<string, Record<string, unknown>>>)) {
        if (!path.startsWith('/api/')) continue
        for (const [method, op] of Object.entries(ops)) documented.set(`${method} ${path}`, op)
      }
      const registered = routes
        .filter((r) => r.url.startsWith('/api/'))
        .flatMap((r) => methods(r).map((m) => ({ r, key: openApiKey(m, r.url) })))
      expect([...documented.keys()].sort()).toEqual(registered.map((x) => x.key).sort())
      for (const { r, key } of registered) {
        const op = documented.get(key)!
        const schema = r.schema as { body?: unknown; querystring?: unknown; params?: unknown }
        if (schema.body !== undefined) expect(op.requestBody, key).toBeDefined()
        if (schema.querystring !== undefined || schema.params !== undefined) expect(op.parameters, key).toBeDefined()
        const responses = op.responses as Record<string, { content?: unknown; description?: string }>
        const success = Object.keys(responses).filter((s) => s.startsWith('2'))
        expect(success.length, key).toBeGreaterThan(0)
        for (const s of success) if (s !== '204') expect(responses[s]!.content, `${key} ${s}`).toBeDefined()
        expect(responses['400'], key).toBeDefined()
      }
    } finally {
      await app.close()
    }
  })
})

/** Every .ts/.tsx file under `dir`, tests included (a test's copy of a wire shape drifts like any other). */
async function sources(dir: string): Promise<string[]> {
  const out: string[] = []
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    if (entry.name === 'node_modules' || entry.name === 'dist' || entry.name.startsWith('.')) continue
    const path = join(dir, entry.name)
    if (entry.isDirectory()) out.push(...(await sources(path)))
    else if (/\.tsx?$/.test(entry.name) && !entry.name.endsWith('.d.ts')) out.push(path)
  }
  return out
}

/**
 * Request/response types that are not broker API shapes, each with why. Anything else named `…Request`,
 * `…Response` or `…Body` outside core/src/wire is a hand-written twin of a wire shape.
 */
const NOT_WIRE: Record<string, string> = {
  PlannedRequest: 'cli dry-run: the request the CLI would send, for printing',
  PdfRequest: 'the example service’s own message payload',
  CreatePdfBody: 'the example service’s own HTTP API',
  PdfRequestBody: 'the example service’s own HTTP API',
  TaggedRequest: 'a TypeScript fixture the static analysis reads',
  PlainRequest: 'a TypeScript fixture the static analysis reads',
  HalfTaggedRequest: 'a TypeScript fixture the static analysis reads',
  MisusedRequest: 'a TypeScript fixture the static analysis reads',
  BrokerErrorBody: 'an alias of @treaty/core/wire’s ErrorBody',
  FastifyRequest: 'fastify’s request, augmented with the caller’s principal (auth.ts)',
}

describe('wire types', () => {
  it('are declared only in @treaty/core/wire', async () => {
    const files = (await Promise.all(['packages', 'examples'].map((d) => sources(join(root, d))))).flat()
    const twins: string[] = []
    for (const file of files) {
      if (file.includes(`${join('core', 'src', 'wire')}`)) continue
      const text = await readFile(file, 'utf8')
      // `interface XRequest …` or `type XRequest = …`, except a type derived from a schema (`= Sent<typeof …>`).
      const declarations =
        /^\s*(?:export\s+)?(?:interface\s+(\w+(?:Request|Response|Body))\b|type\s+(\w+(?:Request|Response|Body))\s*=(?!\s*\w+<typeof))/gm
      for (const m of text.matchAll(declarations)) {
        const name = (m[1] ?? m[2])!
        if (name in NOT_WIRE) continue
        twins.push(`${relative(root, file)}: ${name}`)
      }
    }
    expect(twins).toEqual([])
  })
})
