// A busy broker stays responsive, against a real broker process: one big publish does not hold up /healthz
// (contract validation yields to the event loop), clients trickling headers or bodies are cut off by the
// request and header timeouts, and connections beyond the limit are closed at once. The timeouts are set to
// 2 s here (30 s and 10 s by default) so the test runs in seconds.

import { request } from 'node:http'
import { connect, type Socket } from 'node:net'
import { brokerForFile } from '@treaty/test-support'
import { describe, expect, it } from 'vitest'
import { BrokerErrorCodes } from '../../src/errors.js'
import { unique } from '../support/fixtures.js'

const WRITE = 'write-token-busy-000000001'
const MAX_CONNECTIONS = 80
const broker = brokerForFile('treaty-busy-', () => ({
  TREATY_WRITE_TOKEN: WRITE,
  TREATY_REQUEST_TIMEOUT_MS: '2000',
  TREATY_HEADERS_TIMEOUT_MS: '2000',
  TREATY_MAX_CONNECTIONS: String(MAX_CONNECTIONS),
}))

/**
 * A contract of `n` expectations, each with its own payload schema. `additionalProperties` is a keyword the schema
 * interpreter leaves to ajv, so each schema compiles: the expensive part (schemas of the matchers' vocabulary are
 * checked in microseconds, and a publish of those is over before a probe could arrive).
 */
function bigContract(consumer: string, provider: string, n: number, tag: string, brokenLast = false) {
  return {
    treaty: '1',
    consumer,
    provider,
    expectations: Array.from({ length: n }, (_, i) => {
      const field = `${tag}_${i}`
      return {
        description: `message ${i}`,
        channel: `big.${i}`,
        providerStates: [],
        payload: {
          schema: {
            type: 'object',
            required: [field],
            additionalProperties: false,
            properties: { [field]: { type: 'string', minLength: 1, pattern: `^${tag}` } },
          },
          example: { [field]: brokenLast && i === n - 1 ? 42 : `${tag}-value` },
        },
      }
    }),
  }
}

/** One plain HTTP request on its own connection; resolves with the status when the response has arrived. */
function get(path: string, headers: Record<string, string> = {}): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(`${broker().url}${path}`, { headers, agent: false }, (res) => {
      res.resume()
      res.on('end', () => resolve(res.statusCode!))
    })
    req.on('error', reject)
    req.end()
  })
}

describe('one big publish', () => {
  it('a /healthz sent while a 990-expectation contract is being validated is answered before the publish', async () => {
    const consumer = unique('big')
    // The last example is invalid: the publish is all validation (400 at the end), no store write after it
    // during which a blocked probe could catch up and still arrive first.
    const body = JSON.stringify({ consumer, version: '1.0.0', contracts: [bigContract(consumer, 'big-api', 990, unique('f'), true)] })
    const order: string[] = []
    const publish = new Promise<void>((resolve, reject) => {
      const req = request(
        `${broker().url}/api/contracts`,
        { method: 'POST', agent: false, headers: { authorization: `Bearer ${WRITE}`, 'content-type': 'application/json' } },
        (res) => {
          let text = ''
          res.on('data', (d: Buffer) => {
            text += d.toString()
          })
          res.on('end', () => {
            order.push(`publish ${res.statusCode} ${JSON.parse(text).error?.code}`)
            resolve()
          })
        },
      )
      req.on('error', reject)
      req.end(body)
    })
    // Long enough for the broker to have read the body and begun validating; far shorter than the validation.
    await new Promise((r) => setTimeout(r, 300))
    const probe = get('/healthz').then((status) => void order.push(`healthz ${status}`))
    await Promise.all([publish, probe])
    expect(order).toEqual(['healthz 200', `publish 400 ${BrokerErrorCodes.CONTRACT_INVALID}`])
  }, 120_000)
})

interface Trickler {
  socket: Socket
  closed: Promise<void>
  received: () => string
  stop: () => void
}

/** Opens a connection, sends `head`, then one byte of `drip` every `everyMs` until the server closes it. */
function trickle(head: string, drip: string, everyMs = 700): Trickler {
  const socket = connect(Number(new URL(broker().url).port), '127.0.0.1')
  let received = ''
  let i = 0
  socket.on('data', (d: Buffer) => {
    received += d.toString()
  })
  socket.on('error', () => {})
  const timer = setInterval(() => {
    if (!socket.destroyed && socket.writable) socket.write(drip[i++ % drip.length]!)
  }, everyMs)
  const closed = new Promise<void>((resolve) =>
    socket.on('close', () => {
      clearInterval(timer)
      resolve()
    }),
  )
  socket.write(head)
  return {
    socket,
    closed,
    received: () => received,
    stop: () => {
      clearInterval(timer)
      socket.destroy()
    },
  }
}

/** Resolves true if `p` settles within `ms`. */
async function within(p: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined
  const result = await Promise.race([p.then(() => true), new Promise<boolean>((r) => (timer = setTimeout(() => r(false), ms)))])
  clearTimeout(timer)
  return result
}

describe('slow clients', () => {
  it('connections trickling headers or bodies are closed by the timeouts, and a normal request is served meanwhile', async () => {
    const host = new URL(broker().url).host
    const slowHeaders = Array.from({ length: 20 }, () => trickle(`POST /api/contracts HTTP/1.1\r\nHost: ${host}\r\nX-Slow: `, 'abcdef'))
    const bodyHead = (auth: boolean) =>
      `POST /api/contracts HTTP/1.1\r\nHost: ${host}\r\nContent-Type: application/json\r\nContent-Length: 100000\r\n${
        auth ? `Authorization: Bearer ${WRITE}\r\n` : ''
      }\r\n{"consumer":"`
    const slowBodies = Array.from({ length: 20 }, () => trickle(bodyHead(true), 'aaaaaaaa'))
    const slowUnauthorised = Array.from({ length: 10 }, () => trickle(bodyHead(false), 'aaaaaaaa'))
    const all = [...slowHeaders, ...slowBodies, ...slowUnauthorised]
    try {
      await new Promise((r) => setTimeout(r, 1000))
      // Fifty slow connections open, well under the limit: the broker still serves.
      expect(await get('/healthz')).toBe(200)
      expect(await get('/api/services', { authorization: `Bearer ${WRITE}` })).toBe(200)
      // 2 s timeouts, checked every second; 20 s is far beyond that and far short of the 30 s default.
      const closed = await Promise.all(all.map((t) => within(t.closed, 20_000)))
      expect(closed.filter((c) => !c).length).toBe(0)
      // The unauthorised ones had their 401 first; the others get a 408 or just the close.
      for (const t of slowUnauthorised) expect(t.received()).toMatch(/^HTTP\/1\.1 401/)
      for (const t of [...slowHeaders, ...slowBodies]) expect(t.received()).toMatch(/^(HTTP\/1\.1 408|)/)
      expect(await get('/healthz')).toBe(200)
    } finally {
      for (const t of all) t.stop()
    }
  }, 60_000)

  it(`connections beyond the limit (${MAX_CONNECTIONS}) are closed at once; once the slow ones are cut, requests are served again`, async () => {
    const host = new URL(broker().url).host
    const hogs = Array.from({ length: MAX_CONNECTIONS + 10 }, () => trickle(`GET /healthz HTTP/1.1\r\nHost: ${host}\r\nX-Slow: `, 'xyz'))
    try {
      await new Promise((r) => setTimeout(r, 700))
      const open = hogs.filter((h) => !h.socket.destroyed).length
      // Connections from earlier tests may still be open (keep-alive), so at most the limit stays open.
      expect(open).toBeLessThanOrEqual(MAX_CONNECTIONS)
      expect(open).toBeGreaterThan(MAX_CONNECTIONS - 10)
      await expect(get('/healthz')).rejects.toThrow()
      await Promise.all(hogs.map((h) => within(h.closed, 20_000)))
      expect(await get('/healthz')).toBe(200)
    } finally {
      for (const h of hogs) h.stop()
    }
  }, 60_000)
})
