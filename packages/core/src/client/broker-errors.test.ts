// How the client names what the broker answered: one code per meaning, the broker's own codes for 401 and 403.
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ErrorCodes, TreatyError } from '../errors.js'
import { BrokerClient } from './broker-client.js'

/** A real HTTP server answering each path with the status and error body the broker would send. */
const answers: Record<string, [number, unknown]> = {
  '/no-token': [401, { error: { code: 'TREATY_BROKER_UNAUTHORIZED', message: 'a bearer token is required' } }],
  '/read-token': [403, { error: { code: 'TREATY_BROKER_FORBIDDEN', message: 'this needs a write token' } }],
  '/other-host': [403, { error: { code: 'TREATY_BROKER_HOST_NOT_ALLOWED', message: 'host evil.example is not served' } }],
  '/bad-contract': [
    400,
    {
      error: {
        code: 'TREATY_BROKER_CONTRACT_INVALID',
        message: 'body.contracts[0]: expectations[0].channel: expected string',
        path: 'body.contracts[0].expectations[0].channel',
        hint: 'see docs/contract-format.md',
      },
    },
  ],
}
let server: Server
let client: BrokerClient

beforeAll(async () => {
  server = createServer((req, res) => {
    if (req.url?.startsWith('/moved')) {
      // What a proxy in front of a broker answers to http: an HTML page pointing at https.
      res.writeHead(301, { location: `https://broker.example${req.url}`, 'content-type': 'text/html' })
      res.end('<html><head><title>301 Moved Permanently</title></head><body>nginx</body></html>')
      return
    }
    const [status, body] = answers[req.url ?? ''] ?? [404, { error: { code: 'TREATY_BROKER_ROUTE_NOT_FOUND', message: 'no route' } }]
    res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body))
  })
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done))
  client = new BrokerClient({ url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` })
})
afterAll(() => new Promise<void>((done) => server.close(() => done())))

async function failure(path: string): Promise<TreatyError<string>> {
  const err = await client.request('GET', path).catch((e: unknown) => e)
  expect(err).toBeInstanceOf(TreatyError)
  return err as TreatyError<string>
}

describe('broker errors as the client raises them', () => {
  it('a 401 is TREATY_BROKER_UNAUTHORIZED and a 403 for the token TREATY_BROKER_FORBIDDEN, each with its own hint', async () => {
    const noToken = await failure('/no-token')
    expect(noToken.code).toBe(ErrorCodes.BROKER_UNAUTHORIZED)
    expect(noToken.hint).toMatch(/TREATY_TOKEN/)
    const readToken = await failure('/read-token')
    expect(readToken.code).toBe(ErrorCodes.BROKER_FORBIDDEN)
    expect(readToken.hint).toMatch(/more rights/)
    for (const err of [noToken, readToken]) expect(err.message).not.toContain('hint')
  })

  it('a 403 that is not about the token is a rejection naming the broker code, not a permission problem', async () => {
    const err = await failure('/other-host')
    expect(err.code).toBe(ErrorCodes.BROKER_REJECTED)
    expect(err.details).toMatchObject({ status: 403, brokerCode: 'TREATY_BROKER_HOST_NOT_ALLOWED' })
  })

  it('a route the broker does not have names the URL asked, whose broker URL to check (a pasted /api, an older broker)', async () => {
    const err = await failure('/api/api/can-i-deploy?service=pdf-api')
    expect(err.code).toBe(ErrorCodes.BROKER_REJECTED)
    expect(err.details).toMatchObject({ status: 404, brokerCode: ErrorCodes.BROKER_ROUTE_NOT_FOUND })
    expect(err.hint).toContain(`GET ${client.url}/api/api/can-i-deploy is no route of this broker`)
    expect(err.hint).toContain("--broker-url / TREATY_BROKER_URL is the broker's root URL")
    expect(err.hint).not.toContain('service=pdf-api')
  })

  it("keeps the broker's path and hint as fields", async () => {
    const err = await failure('/bad-contract')
    expect(err).toMatchObject({
      code: ErrorCodes.BROKER_REJECTED,
      message: 'broker: body.contracts[0]: expectations[0].channel: expected string',
      path: 'body.contracts[0].expectations[0].channel',
      hint: 'see docs/contract-format.md',
    })
  })

  it('a redirect is not followed (the token would travel to another address): it names where it points', async () => {
    const err = await failure('/moved/api/can-i-deploy')
    expect(err.code).toBe(ErrorCodes.BROKER_FAILED)
    expect(err.message).toContain('redirects (301) to https://broker.example/moved/api/can-i-deploy')
    expect(err.hint).toBe('set --broker-url (or TREATY_BROKER_URL) to https://broker.example, the address it redirects to')
    expect(err.details).toMatchObject({ status: 301, location: 'https://broker.example/moved/api/can-i-deploy' })
  })
})
