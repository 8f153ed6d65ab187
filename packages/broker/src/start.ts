/** startBroker: build and listen. What `server.ts` runs, and what the CLI calls to start a broker in-process. */
import type { FastifyInstance } from 'fastify'
import { type BrokerOptions, buildBroker } from './app.js'

export interface StartOptions extends BrokerOptions {
  /** Default 9292; 0 picks a free port (the URL says which). */
  port?: number
  /** Default 127.0.0.1: reachable from this machine only until an operator decides otherwise. */
  host?: string
}

export interface RunningBroker {
  app: FastifyInstance
  /** `http://host:port` the broker answers on. */
  url: string
  /** Stops accepting connections, finishes requests in flight and webhook attempts, closes the store. */
  close(): Promise<void>
}

export async function startBroker(options: StartOptions = {}): Promise<RunningBroker> {
  const app = await buildBroker(options)
  try {
    await app.listen({ port: options.port ?? 9292, host: options.host ?? '127.0.0.1' })
  } catch (err) {
    await app.close().catch(() => {})
    throw err
  }
  const address = app.server.address()
  const port = typeof address === 'object' && address ? address.port : options.port
  const host = options.host ?? '127.0.0.1'
  const shown = host.includes(':') ? `[${host}]` : host
  return { app, url: `http://${shown}:${port}`, close: () => app.close() }
}
