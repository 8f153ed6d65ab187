/**
 * A loopback HTTP proxy in front of a real broker that counts the requests passing through it, so a
 * test can assert a mistaken command sent nothing at all. Also serves fixed non-broker answers (an
 * HTML page, JSON that is not the broker API) for the "not a Treaty broker" cases.
 */
import { createServer, request, type Server } from 'node:http'

export interface CountingServer {
  url: string
  requests: string[]
  close(): Promise<void>
}

async function listen(server: Server, requests: string[]): Promise<CountingServer> {
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  const { port } = server.address() as { port: number }
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () => new Promise((r) => server.close(() => r())),
  }
}

/** Forwards every request to `target` (a running broker), recording `METHOD path`. */
export function countingProxy(target: string): Promise<CountingServer> {
  const requests: string[] = []
  const to = new URL(target)
  const server = createServer((req, res) => {
    requests.push(`${req.method} ${req.url}`)
    const upstream = request({ host: to.hostname, port: to.port, method: req.method, path: req.url, headers: req.headers }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers)
      answer.pipe(res)
    })
    upstream.on('error', () => res.writeHead(502).end())
    req.pipe(upstream)
  })
  return listen(server, requests)
}

/** Answers every request with the same status, content type and body (e.g. a login page). */
export function fixedServer(status: number, contentType: string, body: string): Promise<CountingServer> {
  const requests: string[] = []
  const server = createServer((req, res) => {
    requests.push(`${req.method} ${req.url}`)
    req.resume()
    res.writeHead(status, { 'content-type': contentType }).end(body)
  })
  return listen(server, requests)
}
