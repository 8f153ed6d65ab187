// Untrusted input against real broker processes, on PGlite and on PostgreSQL: hostile regexes cannot stall
// the broker, schema work is bounded (413 naming the limit), and every input fault is a 4xx that stores
// nothing. Each case reproduces a finding of the broker security review (issue 13).
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { type BrokerProcess, ensureBrokerBuilt, spawnBroker } from '@treaty/test-support'
import { startPostgres, type ThrowawayPostgres } from '@treaty/test-support/postgres'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { BrokerErrorCodes } from '../../src/errors.js'
import { contractDoc, unique } from '../support/fixtures.js'

const STORES = ['pglite', 'postgres'] as const
const brokers = new Map<string, BrokerProcess>()
const dataRoot = mkdtempSync(join(tmpdir(), 'treaty-untrusted-'))
let postgres: ThrowawayPostgres | undefined

beforeAll(async () => {
  ensureBrokerBuilt()
  postgres = await startPostgres()
  const databaseUrl = await postgres.createDatabase(`treaty_untrusted_${process.pid}`)
  const [pglite, pg] = await Promise.all([
    spawnBroker({ TREATY_DATA_DIR: join(dataRoot, 'data') }, 240_000),
    spawnBroker({ DATABASE_URL: databaseUrl }, 240_000),
  ])
  brokers.set('pglite', pglite)
  brokers.set('postgres', pg)
}, 600_000)

afterAll(async () => {
  await Promise.all([...brokers.values()].map((b) => b.kill('SIGTERM')))
  await postgres?.stop()
  rmSync(dataRoot, { recursive: true, force: true })
}, 180_000)

async function send(url: string, method: string, path: string, body?: string) {
  const res = await fetch(`${url}${path}`, {
    method,
    ...(body === undefined ? {} : { body, headers: { 'content-type': 'application/json' } }),
  })
  const text = await res.text()
  return { status: res.status, body: text ? JSON.parse(text) : undefined }
}

/** The longest /healthz round trip while `work` runs, probing every 20 ms. */
async function worstProbeDuring(url: string, work: Promise<unknown>): Promise<number> {
  let done = false
  let worst = 0
  const probing = (async () => {
    while (!done) {
      const start = performance.now()
      await fetch(`${url}/healthz`)
      worst = Math.max(worst, performance.now() - start)
      await new Promise((r) => setTimeout(r, 20))
    }
  })()
  await work
  done = true
  await probing
  return worst
}

function publishBody(consumer: string, contract: unknown): string {
  return JSON.stringify({ consumer, version: '1.0.0', contracts: [contract] })
}

describe.each(STORES)('untrusted input on %s', (store) => {
  const url = () => brokers.get(store)!.url

  /** The body's publish is refused with `status`/`code`, and the consumer is not stored at all. */
  async function refused(consumer: string, body: string, status: number, code: string) {
    const res = await send(url(), 'POST', '/api/contracts', body)
    expect({ status: res.status, code: res.body?.error?.code }).toEqual({ status, code })
    expect((await send(url(), 'GET', `/api/services/${consumer}`)).status).toBe(404)
    return res.body.error as { message: string; path?: string }
  }

  it('a catastrophic-backtracking pattern with a hostile example is refused without stalling other requests', async () => {
    const consumer = unique('redos')
    // Warm up: the first publish compiles the contract format's own schema, which is not what is measured.
    const warm = unique('warm')
    expect((await send(url(), 'POST', '/api/contracts', publishBody(warm, contractDoc(warm, unique('api'))))).status).toBe(201)
    const contract = contractDoc(consumer, unique('api'))
    // 32 a's and a "!": about 2^32 steps for a backtracking engine (the review measured 3.5 s at 28).
    contract.expectations[0]!.payload = { schema: { type: 'string', pattern: '^(a+)+$' }, example: `${'a'.repeat(32)}!` }
    const publish = send(url(), 'POST', '/api/contracts', publishBody(consumer, contract))
    expect(await worstProbeDuring(url(), publish)).toBeLessThan(1000)
    expect((await publish).body.error.code).toBe(BrokerErrorCodes.CONTRACT_INVALID)
  })

  it('a pattern outside the linear-time dialect (a backreference) is an invalid contract, not a 500', async () => {
    const consumer = unique('backref')
    const contract = contractDoc(consumer, unique('api'))
    contract.expectations[0]!.payload = { schema: { type: 'string', pattern: '^(a)\\1$' }, example: 'aa' }
    await refused(consumer, publishBody(consumer, contract), 400, BrokerErrorCodes.CONTRACT_INVALID)
  })

  it('more distinct schemas than the limit in one request: 413 naming the limit, before any is compiled', async () => {
    const consumer = unique('many')
    const contracts = Array.from({ length: 3 }, (_, c) => {
      const doc = contractDoc(consumer, unique(`api${c}`), { channels: Array.from({ length: 400 }, (_, i) => `ch.${i}`) })
      doc.expectations.forEach((e, i) => {
        e.payload = { schema: { type: 'integer', minimum: c * 1000 + i }, example: c * 1000 + i }
      })
      return doc
    })
    const body = JSON.stringify({ consumer, version: '1.0.0', contracts })
    const error = await refused(consumer, body, 413, BrokerErrorCodes.LIMIT_EXCEEDED)
    expect(error.message).toContain('distinct schemas')
  })

  it('nesting beyond the body depth limit: 413, not a stack overflow', async () => {
    const consumer = unique('deep')
    const contract = contractDoc(consumer, unique('api'))
    const deep = `${'{"a":'.repeat(2000)}1${'}'.repeat(2000)}`
    const body = publishBody(consumer, contract).replace('"example":{', `"example":{"deep":${deep},`)
    await refused(consumer, body, 413, BrokerErrorCodes.LIMIT_EXCEEDED)
  })

  it.each([
    [
      'a number beyond double range (would be stored as null)',
      (b: string) => b.replace('"example":{"id":"doc-1"', '"example":{"id":"doc-1","big":1e400'),
    ],
    ['NUL in a channel name', (b: string) => b.replace('"channel":"pdf.requested"', '"channel":"pdf.\\u0000requested"')],
    ['a lone surrogate in a description', (b: string) => b.replace('"description":"a message', '"description":"\\ud800 a message')],
  ])('%s: 400 TREATY_BROKER_BODY_UNSTORABLE_VALUE, nothing stored', async (_name, mutate) => {
    const consumer = unique('unstorable')
    const body = mutate(publishBody(consumer, contractDoc(consumer, unique('api'))))
    await refused(consumer, body, 400, BrokerErrorCodes.BODY_UNSTORABLE_VALUE)
  })

  it.each([
    ['a $ref cycle that never descends', { $ref: '#' }, {}],
    ['an unknown $schema', { $schema: 'https://example.com/my-draft', type: 'object' }, {}],
    ['a number as $schema', { $schema: 7, type: 'object' }, {}],
  ])('%s: 400 TREATY_BROKER_CONTRACT_INVALID, nothing stored', async (_name, schema, example) => {
    const consumer = unique('schema')
    const contract = contractDoc(consumer, unique('api'))
    contract.expectations[0]!.payload = { schema: schema as never, example }
    await refused(consumer, publishBody(consumer, contract), 400, BrokerErrorCodes.CONTRACT_INVALID)
  })

  it('a body field of the wrong type is refused, not coerced (consumer: 123, overwrite: "false")', async () => {
    const consumer = unique('coerce')
    const doc = contractDoc(consumer, unique('api'))
    await refused(consumer, JSON.stringify({ consumer: 123, version: '1', contracts: [doc] }), 400, BrokerErrorCodes.VALIDATION)
    await refused(
      consumer,
      JSON.stringify({ consumer, version: '1', contracts: [doc], overwrite: 'false' }),
      400,
      BrokerErrorCodes.VALIDATION,
    )
  })

  it('a member given twice (version 9.9.9, then 5.0.0): 400 naming it, nothing stored, rather than keeping the last', async () => {
    const consumer = unique('twice')
    const body = publishBody(consumer, contractDoc(consumer, unique('api'))).replace(
      '"version":"1.0.0"',
      '"version":"9.9.9","version":"5.0.0"',
    )
    const error = await refused(consumer, body, 400, BrokerErrorCodes.VALIDATION)
    expect(error.path).toBe('body.version')
  })

  it('?versions=1e309 is a 400, not Infinity in a LIMIT', async () => {
    const res = await send(url(), 'GET', '/api/services/anything?versions=1e309')
    expect({ status: res.status, code: res.body.error.code }).toEqual({ status: 400, code: BrokerErrorCodes.VALIDATION })
  })
})
