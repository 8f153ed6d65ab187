// Safe defaults at the edge, against real broker processes: an open broker answers only to its own host
// names (DNS rebinding), refuses a public address without tokens unless told --insecure-open, refuses weak
// tokens at start, and keeps query strings (where a pasted token may sit) out of its log.

import { mkdtempSync, rmSync } from 'node:fs'
import { request } from 'node:http'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { type BrokerProcess, ensureBrokerBuilt, spawnBroker } from '@treaty/test-support'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { BrokerErrorCodes } from '../../src/errors.js'

const root = mkdtempSync(join(tmpdir(), 'treaty-edge-'))
const started: BrokerProcess[] = []
let open: BrokerProcess

beforeAll(async () => {
  ensureBrokerBuilt()
  open = await spawnBroker({ TREATY_DATA_DIR: join(root, 'open'), LOG_LEVEL: 'info' }, 240_000)
  started.push(open)
}, 300_000)

afterAll(async () => {
  await Promise.all(started.map((b) => b.kill('SIGTERM')))
  rmSync(root, { recursive: true, force: true })
}, 180_000)

/** fetch() does not let a caller set Host; a raw request does, as a rebinding page's browser would. */
function getWithHost(url: string, path: string, host: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(`${url}${path}`, { headers: { host } }, (res) => {
      let body = ''
      res.on('data', (d: Buffer) => {
        body += d.toString()
      })
      res.on('end', () => resolve({ status: res.statusCode!, body }))
    })
    req.on('error', reject)
    req.end()
  })
}

describe('an open broker (no tokens)', () => {
  it('refuses a request for another host name (DNS rebinding) and answers its own', async () => {
    const other = await getWithHost(open.url, '/api/services', 'attacker.example')
    expect({ status: other.status, code: JSON.parse(other.body).error.code }).toEqual({
      status: 403,
      code: BrokerErrorCodes.HOST_NOT_ALLOWED,
    })
    expect(other.body).not.toContain('attacker.example')
    const port = new URL(open.url).port
    for (const host of [`127.0.0.1:${port}`, `localhost:${port}`])
      expect((await getWithHost(open.url, '/api/services', host)).status).toBe(200)
  })

  it('keeps query strings out of its log', async () => {
    await fetch(`${open.url}/api/services?token=pasted-secret-0123456789`)
    await new Promise((r) => setTimeout(r, 300))
    expect(open.output()).toContain('/api/services')
    expect(open.output()).not.toContain('pasted-secret-0123456789')
  })
})

describe('errors before any route', () => {
  it('a malformed URL and an oversized one come back in the one error shape, without echoing the URL', async () => {
    const host = new URL(open.url).host
    const bad = await getWithHost(open.url, '/api/services/%E0%A4%A-marker', host)
    expect({ status: bad.status, code: JSON.parse(bad.body).error.code }).toEqual({ status: 400, code: BrokerErrorCodes.VALIDATION })
    expect(bad.body).not.toContain('marker')
    const huge = await getWithHost(open.url, `/api/services/${'x'.repeat(20_000)}-marker`, host)
    expect({ status: huge.status, code: JSON.parse(huge.body).error.code }).toEqual({ status: 431, code: BrokerErrorCodes.VALIDATION })
    expect(huge.body).not.toContain('marker')
  })
})

describe('start-up refusals', () => {
  it('a non-loopback address without tokens is refused, unless --insecure-open says so', async () => {
    await expect(spawnBroker({ TREATY_DATA_DIR: join(root, 'public'), HOST: '0.0.0.0' }, 240_000)).rejects.toThrow(
      BrokerErrorCodes.CONFIG_INVALID,
    )
    const insecure = await spawnBroker({ TREATY_DATA_DIR: join(root, 'public'), HOST: '0.0.0.0', TREATY_INSECURE_OPEN: '1' }, 240_000)
    started.push(insecure)
    expect((await fetch(`http://127.0.0.1:${new URL(insecure.url).port}/healthz`)).status).toBe(200)
  }, 300_000)

  it.each([
    ['a short token', { TREATY_WRITE_TOKEN: 'w' }],
    ['a token with a trailing space', { TREATY_WRITE_TOKEN: 'write-token-0123456789 ' }],
    ['one token for two levels', { TREATY_WRITE_TOKEN: 'same-token-0123456789', TREATY_ADMIN_TOKEN: 'same-token-0123456789' }],
    ['a short named token (TREATY_TOKENS)', { TREATY_TOKENS: 'tokens:\n  - { name: ci, token: short, services: [pdf-worker] }' }],
    [
      'a named token equal to a level token',
      { TREATY_WRITE_TOKEN: 'same-token-0123456789', TREATY_TOKENS: '{"tokens":[{"name":"ci","token":"same-token-0123456789"}]}' },
    ],
  ])(
    '%s is refused at start (TREATY_BROKER_CONFIG_INVALID)',
    async (_name, env) => {
      await expect(spawnBroker({ TREATY_DATA_DIR: join(root, 'tokens'), ...env }, 240_000)).rejects.toThrow(BrokerErrorCodes.CONFIG_INVALID)
    },
    300_000,
  )
})
