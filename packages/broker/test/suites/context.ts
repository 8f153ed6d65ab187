/**
 * The store/API suite runs, unchanged, against each storage driver: every `*.test.ts` that opens a store
 * calls `runApiSuite`, which registers the suites below against one broker built on that store.
 */
import type { FastifyInstance } from 'fastify'
import { afterAll, beforeAll } from 'vitest'
import { buildBroker } from '../../src/app.js'
import type { Store } from '../../src/store/store.js'
import { type Client, client } from '../support/fixtures.js'
import { deploymentSuite } from './deployment.js'
import { observationSuite } from './observations.js'
import { providerSchemaSuite } from './provider-schemas.js'
import { publishingSuite } from './publishing.js'
import { streamSafetySuite } from './stream-safety.js'
import { verificationSuite } from './verification.js'

export interface SuiteContext {
  app: FastifyInstance
  store: Store
  c: Client
}

export type GetContext = () => SuiteContext

/** Opens the store once for the file (PGlite and PostgreSQL start-up is the slow part), one broker over it. */
export function runApiSuite(openStore: () => Promise<{ store: Store; cleanup: () => Promise<void> }>): void {
  let ctx: SuiteContext | undefined
  let cleanup: (() => Promise<void>) | undefined
  beforeAll(async () => {
    const opened = await openStore()
    cleanup = opened.cleanup
    const app = await buildBroker({ store: opened.store, logLevel: 'silent', webhooks: { enabled: false } })
    ctx = { app, store: opened.store, c: client(app) }
  })
  afterAll(async () => {
    await ctx?.app.close()
    await ctx?.store.close()
    await cleanup?.()
  })
  const get: GetContext = () => {
    if (!ctx) throw new Error('the broker did not start')
    return ctx
  }
  publishingSuite(get)
  verificationSuite(get)
  deploymentSuite(get)
  providerSchemaSuite(get)
  streamSafetySuite(get)
  observationSuite(get)
}
