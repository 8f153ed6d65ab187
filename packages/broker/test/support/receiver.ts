/** A webhook receiver on loopback that records what it gets and answers what the test tells it to. */
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'

export interface Received {
  headers: IncomingHttpHeaders
  body: string
  status: number
}

export interface Receiver {
  url: string
  received: Received[]
  /** Status code for the next requests; each call to `failNext(n)` makes the next n answer 500. */
  failNext(n: number): void
  /** Answers every request with this status from now on. */
  always(status: number): void
  /** Resolves once `predicate` holds for what was received (polls), or rejects after `timeoutMs`. */
  waitFor(predicate: (r: Received[]) => boolean, timeoutMs?: number): Promise<void>
  close(): Promise<void>
}

/** Listens on `port` (0: any free one). */
export async function startReceiver(port = 0): Promise<Receiver> {
  const received: Received[] = []
  let failures = 0
  let fixed = 200
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', () => {
      const status = failures > 0 ? 500 : fixed
      if (failures > 0) failures--
      received.push({ headers: req.headers, body: Buffer.concat(chunks).toString('utf8'), status })
      res.writeHead(status, { 'content-type': 'text/plain' }).end(status === 200 ? 'ok' : 'no')
    })
  })
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(port, '127.0.0.1', resolve)
  })
  const bound = (server.address() as AddressInfo).port
  return {
    url: `http://127.0.0.1:${bound}/hook`,
    received,
    failNext(n) {
      failures = n
    },
    always(status) {
      fixed = status
    },
    async waitFor(predicate, timeoutMs = 15_000) {
      const deadline = Date.now() + timeoutMs
      while (!predicate(received)) {
        if (Date.now() > deadline)
          throw new Error(`receiver did not get what was expected; got ${JSON.stringify(received.map((r) => r.body))}`)
        await new Promise((r) => setTimeout(r, 25))
      }
    },
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}
