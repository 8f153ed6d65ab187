/** startBroker: build and listen. What `server.ts` runs, and what the CLI calls to start a broker in-process. */
import type { FastifyInstance } from 'fastify'
import { type BrokerOptions, buildBroker } from './app.js'
import { hasTokens } from './auth.js'
import { BrokerError, BrokerErrorCodes } from './errors.js'

export interface StartOptions extends BrokerOptions {
  /** Default 9292; 0 picks a free port (the URL says which). */
  port?: number
  /** Default 127.0.0.1: reachable from this machine only until an operator decides otherwise. */
  host?: string
  /** Listen on a non-loopback address without tokens. Refused otherwise: anyone reaching it could write. */
  insecureOpen?: boolean
}

const LOOPBACK = /^(127\.\d+\.\d+\.\d+|::1|localhost)$/i
const WILDCARD = /^(0\.0\.0\.0|::)$/

export interface RunningBroker {
  app: FastifyInstance
  /** `http://host:port` the broker answers on. */
  url: string
  /** Stops accepting connections, finishes requests in flight and webhook attempts, closes the store. */
  close(): Promise<void>
}

export async function startBroker(options: StartOptions = {}): Promise<RunningBroker> {
  const host = options.host ?? '127.0.0.1'
  const open = !hasTokens(options.tokens)
  if (open && !LOOPBACK.test(host) && !options.insecureOpen) {
    throw new BrokerError(
      BrokerErrorCodes.CONFIG_INVALID,
      `refusing to listen on ${host} without tokens: anyone who reaches it could publish and record deployments; set TREATY_WRITE_TOKEN (and TREATY_READ_TOKEN, TREATY_ADMIN_TOKEN), or start with --insecure-open`,
    )
  }
  // An open broker answers to the names it is bound to; bound to every interface on purpose, to any.
  const bound = WILDCARD.test(host) ? ['*'] : [host.includes(':') ? `[${host}]` : host]
  const app = await buildBroker({ ...options, allowedHosts: [...(options.allowedHosts ?? []), ...bound] })
  try {
    await app.listen({ port: options.port ?? 9292, host: options.host ?? '127.0.0.1' })
  } catch (err) {
    await app.close().catch(() => {})
    throw err
  }
  const address = app.server.address()
  const port = typeof address === 'object' && address ? address.port : options.port
  const shown = host.includes(':') ? `[${host}]` : host
  return { app, url: `http://${shown}:${port}`, close: () => app.close() }
}
