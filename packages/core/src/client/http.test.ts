// The broker client's transport (node:http / node:https): a broker that stalls, resets mid-answer or is not
// there is "unreachable", named by its cause, never a short or half-read answer.
import { createServer, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ErrorCodes, TreatyError } from '../errors.js'
import { BrokerClient } from './broker-client.js'

let server: Server
let base: string
const open = new Set<ServerResponse>()

beforeAll(async () => {
  server = createServer((req, res) => {
    open.add(res)
    let body = ''
    req.on('data', (chunk) => (body += chunk))
    req.on('end', () => {
      if (req.url === '/echo') {
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ method: req.method, headers: req.headers, body }))
      } else if (req.url === '/stall') {
        res.writeHead(200, { 'content-type': 'application/json' })
        res.write('{"partial":')
      } else if (req.url === '/reset') {
        res.writeHead(200, { 'content-type': 'application/json', 'content-length': '1000' })
        res.write('{"partial":', () => res.socket?.destroy())
      } else if (req.url === '/empty') {
        res.writeHead(204).end()
      }
    })
  })
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done))
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
})
afterAll(async () => {
  for (const res of open) res.socket?.destroy()
  await new Promise<void>((done) => server.close(() => done()))
})

async function failure(client: BrokerClient, path: string): Promise<TreatyError<string>> {
  const err = await client.request('GET', path).catch((e: unknown) => e)
  expect(err).toBeInstanceOf(TreatyError)
  return err as TreatyError<string>
}

describe('the broker client transport', () => {
  it('sends the method, JSON body, token and correlation id, and parses the JSON answer', async () => {
    const client = new BrokerClient({ url: `${base}/`, token: 't0ken', correlationId: 'run-1' })
    const answer = await client.request<{ method: string; headers: Record<string, string>; body: string }>('POST', '/echo', { a: 'é' })
    expect(answer.method).toBe('POST')
    expect(JSON.parse(answer.body)).toEqual({ a: 'é' })
    expect(answer.headers).toMatchObject({
      authorization: 'Bearer t0ken',
      'x-correlation-id': 'run-1',
      'content-type': 'application/json',
      accept: 'application/json',
    })
    expect(await client.request('DELETE', '/empty')).toBeUndefined()
  })

  it('a broker that stops answering mid-body times out as unreachable (TimeoutError)', async () => {
    const err = await failure(new BrokerClient({ url: base, timeoutMs: 300 }), '/stall')
    expect(err.code).toBe(ErrorCodes.BROKER_UNREACHABLE)
    expect(err.message).toBe(`cannot reach the broker at ${base} (TimeoutError)`)
  })

  it('a connection reset mid-body is unreachable, not a half-read answer', async () => {
    const err = await failure(new BrokerClient({ url: base }), '/reset')
    expect(err.code).toBe(ErrorCodes.BROKER_UNREACHABLE)
    expect(err.message).toMatch(/\(ECONNRESET\)$/)
  })

  it('names the system error of a broker that is not there, over http and https', async () => {
    const closed = createServer()
    await new Promise<void>((done) => closed.listen(0, '127.0.0.1', done))
    const port = (closed.address() as AddressInfo).port
    await new Promise<void>((done) => closed.close(() => done()))
    for (const scheme of ['http', 'https']) {
      const err = await failure(new BrokerClient({ url: `${scheme}://127.0.0.1:${port}` }), '/')
      expect(err.code).toBe(ErrorCodes.BROKER_UNREACHABLE)
      expect(err.message).toBe(`cannot reach the broker at ${scheme}://127.0.0.1:${port} (ECONNREFUSED)`)
    }
  })
})
