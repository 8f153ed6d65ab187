import { mkdtemp, writeFile } from 'node:fs/promises'
import { availableParallelism, tmpdir } from 'node:os'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { serializeContract, writeContract } from '../contract/read-write.js'
import type { Contract, Expectation } from '../contract/types.js'
import { ErrorCodes } from '../errors.js'
import type { JsonSchema } from '../json/types.js'
import { compile, datetime, decimal, eachLike, integer, nullable, oneOf, string, type Template, uuid } from '../schema/matchers.js'
import type { ContractInput, ExpectationResult, Producer, Producers, StateHandlers, VerifyOptions } from './types.js'
import { verifyContracts } from './verify.js'

const PROVIDER = 'pdf-api'

function expectation(description: string, payload: Template, more: Partial<Expectation> = {}): Expectation {
  return { description, channel: 'pdf.requested', providerStates: [], payload: compile(payload), ...more }
}

function rawExpectation(description: string, schema: JsonSchema, example: unknown): Expectation {
  return { description, channel: 'pdf.requested', providerStates: [], payload: { schema, example: example as never } }
}

function contractOf(expectations: Expectation[], consumer = 'pdf-worker', provider = PROVIDER): Contract {
  return { treaty: '1', consumer, provider, expectations }
}

function verify(contracts: ContractInput[], producers: Producers, more: Partial<VerifyOptions> = {}) {
  return verifyContracts({ provider: PROVIDER, contracts, producers, ...more })
}

/** Verifies one expectation with one producer (keyed by its channel) and returns its result. */
async function verifyOne(e: Expectation, producer: Producer, more: Partial<VerifyOptions> = {}): Promise<ExpectationResult> {
  const report = await verify([contractOf([e])], { [e.channel]: producer }, more)
  return report.contracts[0]!.expectations[0]!
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

afterEach(() => {
  vi.restoreAllMocks()
})

describe('verifyContracts: a producer whose message satisfies the expectation', () => {
  it('passes, with a duration and no mismatches, and the run succeeds', async () => {
    const e = expectation(
      'a PDF is requested',
      { jobId: uuid(), pages: integer(1, { minimum: 1 }) },
      { headers: compile({ 'Correlation-Id': string('c-1') }) },
    )
    const report = await verify([contractOf([e])], {
      'pdf.requested': async () => ({
        payload: { jobId: '7f0c2a4e-3b1d-4c5e-9f6a-8b7c6d5e4f3a', pages: 3 },
        headers: { 'Correlation-Id': 'c-9' },
      }),
    })
    expect(report.success).toBe(true)
    expect(report.summary).toEqual({ total: 1, passed: 1, failed: 0, pending: 0 })
    const result = report.contracts[0]!.expectations[0]!
    expect(result).toMatchObject({ description: 'a PDF is requested', channel: 'pdf.requested', status: 'passed', mismatches: [] })
    expect(result.durationMs).toBeGreaterThanOrEqual(0)
    expect(report.contracts[0]).toMatchObject({ consumer: 'pdf-worker', provider: PROVIDER, pending: false })
  })

  it('validates the JSON round trip of the message, not the object: a Date passes as a date-time string', async () => {
    const result = await verifyOne(expectation('dated', { at: datetime() }), () => ({ payload: { at: new Date('2024-01-15T10:30:00Z') } }))
    expect(result.status).toBe('passed')
  })
})

describe('verifyContracts: messages with members named like methods', () => {
  it('compares {"valueOf": …} and {"toString": …} against enum and const by their members, not crashing (ajv’s deep equality called them)', async () => {
    // additionalProperties: a keyword the interpreter leaves to ajv, so the engine answers.
    const schema = {
      type: 'object',
      additionalProperties: false,
      properties: { a: { enum: [{ valueOf: 1 }] }, b: { const: { toString: 'x', constructor: 2 } } },
    } as JsonSchema
    const e = rawExpectation('words', schema, { a: { valueOf: 1 }, b: { toString: 'x', constructor: 2 } })
    const message = (a: unknown) => () => ({ payload: JSON.parse(JSON.stringify({ a, b: { toString: 'x', constructor: 2 } })) })
    expect((await verifyOne(e, message({ valueOf: 1 }))).status).toBe('passed')
    const failed = await verifyOne(e, message({ valueOf: 2 }))
    expect(failed).toMatchObject({ status: 'failed', mismatches: [{ kind: 'schema', pointer: '/a', keyword: 'enum' }] })
  })

  it.each([
    'http://json-schema.org/draft-04/schema#',
    'http://json-schema.org/draft-06/schema#',
    'http://json-schema.org/draft-07/schema#',
    'https://json-schema.org/draft/2019-09/schema',
  ])('does so in a schema of an older draft too (%s)', async ($schema) => {
    const schema = { $schema, type: 'object', properties: { a: { enum: [{ valueOf: 1 }] } } } as JsonSchema
    const e = rawExpectation('words', schema, { a: { valueOf: 1 } })
    const message = (a: unknown) => () => ({ payload: JSON.parse(JSON.stringify({ a })) })
    expect((await verifyOne(e, message({ valueOf: 1 }))).status).toBe('passed')
    expect((await verifyOne(e, message({ valueOf: 2 }))).status).toBe('failed')
  })
})

describe('verifyContracts: schema mismatches name contract, expectation, part, pointer, expected and found', () => {
  it('wrong type', async () => {
    const result = await verifyOne(expectation('typed', { qty: integer() }), () => ({ payload: { qty: '1' } }))
    expect(result.status).toBe('failed')
    expect(result.mismatches).toEqual([
      {
        kind: 'schema',
        consumer: 'pdf-worker',
        provider: PROVIDER,
        expectation: 'typed',
        part: 'payload',
        pointer: '/qty',
        keyword: 'type',
        expected: 'integer',
        actual: '"1"',
        message: 'payload/qty: expected integer, found "1"',
      },
    ])
  })

  it('missing required property, naming it', async () => {
    const result = await verifyOne(expectation('required', { jobId: string(), pages: integer() }), () => ({ payload: { pages: 1 } }))
    expect(result.mismatches).toEqual([
      expect.objectContaining({
        kind: 'schema',
        pointer: '/jobId',
        keyword: 'required',
        property: 'jobId',
        message: 'payload/jobId: missing required property `jobId`',
      }),
    ])
    expect(result.mismatches[0]).not.toHaveProperty('actual')
  })

  it('additional property, naming it and its value', async () => {
    const schema = { type: 'object', properties: { a: { type: 'integer' } }, additionalProperties: false }
    const result = await verifyOne(rawExpectation('closed', schema, { a: 1 }), () => ({ payload: { a: 1, debug: true } }))
    expect(result.mismatches).toEqual([
      expect.objectContaining({ pointer: '/debug', keyword: 'additionalProperties', property: 'debug', actual: 'true' }),
    ])
  })

  it('value outside an enum', async () => {
    const result = await verifyOne(expectation('enum', { pageSize: oneOf(['A4', 'Letter']) }), () => ({ payload: { pageSize: 'A5' } }))
    expect(result.mismatches).toEqual([
      expect.objectContaining({ pointer: '/pageSize', keyword: 'enum', expected: 'one of "A4", "Letter"', actual: '"A5"' }),
    ])
  })

  it('string not in its format', async () => {
    const result = await verifyOne(expectation('formats', { jobId: uuid(), at: datetime() }), () => ({
      payload: { jobId: 'job-1', at: 'yesterday' },
    }))
    expect(result.mismatches).toEqual([
      expect.objectContaining({ pointer: '/jobId', keyword: 'format', expected: 'string in format "uuid"', actual: '"job-1"' }),
      expect.objectContaining({ pointer: '/at', keyword: 'format', expected: 'string in format "date-time"', actual: '"yesterday"' }),
    ])
  })

  it('numbers below a minimum or above a maximum, deep in an array, in the words of the schema', async () => {
    const e = expectation('bounds', { items: eachLike({ qty: integer(1, { minimum: 1 }), price: decimal(1, { maximum: 100 }) }) })
    const result = await verifyOne(e, () => ({
      payload: {
        items: [
          { qty: 2, price: 5 },
          { qty: 0, price: 100.5 },
        ],
      },
    }))
    expect(result.mismatches).toEqual([
      expect.objectContaining({ pointer: '/items/1/qty', keyword: 'minimum', expected: 'integer >= 1', actual: '0' }),
      expect.objectContaining({ pointer: '/items/1/price', keyword: 'maximum', expected: 'number <= 100', actual: '100.5' }),
    ])
    expect(result.mismatches[0]!.message).toBe('payload/items/1/qty: expected integer >= 1, found 0')
  })

  it('headers: a missing or mistyped header is a mismatch in part `headers`', async () => {
    const e = expectation('with headers', { a: 1 }, { headers: compile({ 'Correlation-Id': string('c-1'), 'Retry-Count': integer(0) }) })
    const result = await verifyOne(e, () => ({ payload: { a: 1 }, headers: { 'Retry-Count': 'zero' } }))
    expect(result.mismatches).toEqual([
      expect.objectContaining({ part: 'headers', pointer: '/Correlation-Id', keyword: 'required', property: 'Correlation-Id' }),
      expect.objectContaining({ part: 'headers', pointer: '/Retry-Count', keyword: 'type', expected: 'integer', actual: '"zero"' }),
    ])
    const none = await verifyOne(e, () => ({ payload: { a: 1 } }))
    expect(none.mismatches.map((m) => m.kind === 'schema' && m.property)).toEqual(['Correlation-Id', 'Retry-Count'])
  })

  it('headers the expectation does not mention are not checked', async () => {
    const result = await verifyOne(expectation('no headers', { a: 1 }), () => ({ payload: { a: 1 }, headers: { anything: 1n } }))
    expect(result.status).toBe('passed')
  })

  it('keeps the anyOf summary and drops the noise of every branch', async () => {
    const schema = { type: 'object', properties: { id: { anyOf: [{ type: 'string' }, { type: 'integer' }] } } }
    const result = await verifyOne(rawExpectation('anyOf', schema, { id: 'x' }), () => ({ payload: { id: true } }))
    expect(result.mismatches).toEqual([expect.objectContaining({ pointer: '/id', keyword: 'anyOf', actual: 'true' })])
  })

  it('truncates a long actual value', async () => {
    const result = await verifyOne(expectation('long', { n: nullable(integer()) }), () => ({ payload: { n: 'x'.repeat(500) } }))
    const actual = result.mismatches[0]!.kind === 'schema' ? result.mismatches[0]!.actual! : ''
    expect(actual.length).toBeLessThanOrEqual(80)
    expect(actual.endsWith('…')).toBe(true)
  })
})

describe('verifyContracts: no silent passes', () => {
  it('an expectation without a producer fails, listing the known producers', async () => {
    const report = await verify([contractOf([expectation('a', { a: 1 })])], {
      'pdf.cancelled': () => ({ payload: {} }),
      'invoice.created': () => ({ payload: {} }),
    })
    expect(report.success).toBe(false)
    expect(report.contracts[0]!.expectations[0]!.mismatches).toEqual([
      expect.objectContaining({
        kind: 'no-producer',
        channel: 'pdf.requested',
        known: ['invoice.created', 'pdf.cancelled'],
        message: 'no producer for channel `pdf.requested` (known: `invoice.created`, `pdf.cancelled`)',
      }),
    ])
  })

  it('an unknown provider state fails, listing the known states, and runs nothing', async () => {
    const setup = vi.fn()
    const producer = vi.fn(() => ({ payload: { a: 1 } }))
    const e = expectation('a', { a: 1 }, { providerStates: [{ name: 'a PDF exists' }, { name: 'an invoice exists' }] })
    const result = await verifyOne(e, producer, { states: { 'a PDF exists': setup, 'no invoices': () => {} } })
    expect(result.mismatches).toEqual([
      expect.objectContaining({
        kind: 'unknown-state',
        state: 'an invoice exists',
        known: ['a PDF exists', 'no invoices'],
        message: 'unknown provider state `an invoice exists` (known: `a PDF exists`, `no invoices`)',
      }),
    ])
    expect(setup).not.toHaveBeenCalled()
    expect(producer).not.toHaveBeenCalled()
  })

  it('a producer that throws fails with its error and stack', async () => {
    function buildPdfRequested(): never {
      throw new TypeError('cannot read invoice 42')
    }
    const result = await verifyOne(expectation('a', { a: 1 }), () => buildPdfRequested())
    const m = result.mismatches[0]!
    expect(m).toMatchObject({ kind: 'producer-failed', message: 'the producer threw TypeError: cannot read invoice 42' })
    expect(m.kind === 'producer-failed' && m.error).toMatchObject({ name: 'TypeError', message: 'cannot read invoice 42' })
    expect(m.kind === 'producer-failed' && m.error.stack).toContain('buildPdfRequested')
  })

  it('a producer that rejects, or throws something that is not an Error, fails too', async () => {
    const rejected = await verifyOne(expectation('a', { a: 1 }), async () => Promise.reject(new Error('db down')))
    expect(rejected.mismatches[0]).toMatchObject({ kind: 'producer-failed', error: { name: 'Error', message: 'db down' } })
    const odd = await verifyOne(expectation('a', { a: 1 }), () => {
      throw 'nope'
    })
    expect(odd.mismatches[0]).toMatchObject({ kind: 'producer-failed', error: { name: 'string', message: '"nope"' } })
  })

  it('a producer that takes longer than timeoutMs fails, and the state is still torn down', async () => {
    const teardown = vi.fn()
    const e = expectation('slow', { a: 1 }, { providerStates: [{ name: 's' }] })
    const result = await verifyOne(e, () => new Promise(() => {}), { timeoutMs: 30, states: { s: { teardown } } })
    expect(result.mismatches[0]).toMatchObject({ kind: 'producer-failed', error: { name: 'TimeoutError' } })
    expect(result.mismatches[0]!.message).toContain('did not finish within 30 ms')
    expect(teardown).toHaveBeenCalledTimes(1)
  })

  it.each([
    ['a BigInt', { total: 10n }, '/total', 'BigInt'],
    ['a function', { total: () => 10 }, '/total', 'function'],
    ['a Map', { lines: new Map() }, '/lines', 'Map'],
  ])('a payload holding %s fails: it cannot travel as JSON', async (_name, payload, pointer, word) => {
    const result = await verifyOne(expectation('a', { total: integer() }), () => ({ payload }))
    expect(result.mismatches).toEqual([
      expect.objectContaining({ kind: 'not-json', part: 'payload', pointer, message: expect.stringContaining(word) }),
    ])
  })

  it('a payload with a cycle fails, naming where it loops back to', async () => {
    const payload: Record<string, unknown> = { a: 1 }
    payload.self = payload
    const result = await verifyOne(expectation('a', { a: 1 }), () => ({ payload }))
    expect(result.mismatches[0]).toMatchObject({
      kind: 'not-json',
      pointer: '/self',
      message: 'payload/self is a circular reference (back to the root), which JSON cannot carry',
    })
  })

  it('a payload whose getter or toJSON throws fails as not JSON, with the error', async () => {
    const payload = {
      get total(): number {
        throw new Error('total not loaded')
      },
    }
    const result = await verifyOne(expectation('a', { total: integer() }), () => ({ payload }))
    expect(result.mismatches).toEqual([
      expect.objectContaining({ kind: 'not-json', part: 'payload', message: 'payload cannot be turned into JSON: total not loaded' }),
    ])
  })

  it('a non-JSON header fails in part `headers`', async () => {
    const e = expectation('a', { a: 1 }, { headers: compile({ n: integer() }) })
    const result = await verifyOne(e, () => ({ payload: { a: 1 }, headers: { n: 1n } }))
    expect(result.mismatches[0]).toMatchObject({ kind: 'not-json', part: 'headers', pointer: '/n' })
  })

  it('a producer that returns no message, or no payload, fails saying what it must return', async () => {
    const nothing = await verifyOne(expectation('a', { a: 1 }), (() => undefined) as unknown as Producer)
    expect(nothing.mismatches[0]).toMatchObject({
      kind: 'not-json',
      message: 'the producer returned undefined; it must return { payload, headers? }',
    })
    const noPayload = await verifyOne(expectation('a', { a: 1 }), () => ({ payload: undefined }))
    expect(noPayload.mismatches[0]).toMatchObject({ kind: 'not-json', part: 'payload', pointer: '' })
  })

  it('a producer that returns the message itself, not { payload }, fails once, showing what it returned', async () => {
    const e = expectation('a', { a: integer() }, { headers: compile({ n: integer() }) })
    const unwrapped = await verifyOne(e, (() => ({ a: 1 })) as unknown as Producer)
    expect(unwrapped.mismatches).toEqual([
      expect.objectContaining({
        kind: 'not-json',
        message: 'the producer returned {"a":1}, with no `payload`; it must return { payload, headers? }',
      }),
    ])
  })

  it('a property JSON drops (undefined) is missing, as the consumer would see it', async () => {
    const result = await verifyOne(expectation('a', { jobId: string() }), () => ({ payload: { jobId: undefined } }))
    expect(result.mismatches).toEqual([expect.objectContaining({ keyword: 'required', property: 'jobId' })])
  })

  it('verifying nothing is not a success: a typo in `provider` must not turn a build green', async () => {
    const report = await verifyContracts({ provider: 'pdf-apl', contracts: [contractOf([expectation('a', { a: 1 })])], producers: {} })
    expect(report.summary.total).toBe(0)
    expect(report.success).toBe(false)
  })
})

describe('verifyContracts: pending contracts', () => {
  it('reports the failures of a pending contract without failing the run', async () => {
    const failing = contractOf([expectation('a', { a: integer() }), expectation('b', { a: integer() }, { channel: 'ok' })], 'billing')
    const report = await verify([{ contract: failing, pending: true }], {
      'pdf.requested': () => ({ payload: { a: 'x' } }),
      ok: () => ({ payload: { a: 1 } }),
    })
    expect(report.contracts[0]!.pending).toBe(true)
    expect(report.contracts[0]!.expectations.map((e) => e.status)).toEqual(['pending', 'passed'])
    expect(report.contracts[0]!.expectations[0]!.mismatches).toEqual([expect.objectContaining({ pointer: '/a', keyword: 'type' })])
    expect(report.summary).toEqual({ total: 2, passed: 1, failed: 0, pending: 1 })
    expect(report.success).toBe(true)
  })

  it('a failure in a contract that is not pending still fails the run', async () => {
    const producers = { 'pdf.requested': () => ({ payload: { a: 'x' } }) }
    const e = expectation('a', { a: integer() })
    const report = await verify([{ contract: contractOf([e], 'billing'), pending: true }, contractOf([e], 'pdf-worker')], producers)
    expect(report.contracts.map((c) => c.expectations[0]!.status)).toEqual(['pending', 'failed'])
    expect(report.success).toBe(false)
  })

  it('echoes the content hash a contract came with (from the broker)', async () => {
    const report = await verify([{ contract: contractOf([expectation('a', { a: 1 })]), contentHash: 'abc123' }], {
      'pdf.requested': () => ({ payload: { a: 1 } }),
    })
    expect(report.contracts[0]!.contentHash).toBe('abc123')
  })
})

describe('verifyContracts: provider states', () => {
  it('sets states up in order, hands the producer their params, and tears them down in reverse', async () => {
    const events: string[] = []
    const states: StateHandlers = {
      'an invoice exists': {
        setup: (p) => {
          events.push(`setup invoice ${p.invoiceId}`)
        },
        teardown: (p) => {
          events.push(`teardown invoice ${p.invoiceId}`)
        },
      },
      'a customer exists': async (p) => {
        events.push(`setup customer ${p.customerId}`)
        return () => events.push('cleanup customer')
      },
    }
    const e = expectation(
      'a',
      { a: 1 },
      {
        providerStates: [
          { name: 'an invoice exists', params: { invoiceId: '42', tenant: 't1' } },
          { name: 'a customer exists', params: { customerId: 'c7', tenant: 't2' } },
        ],
      },
    )
    const producer = vi.fn<Producer>(() => {
      events.push('produce')
      return { payload: { a: 1 } }
    })
    const result = await verifyOne(e, producer, { states })
    expect(result.status).toBe('passed')
    expect(events).toEqual(['setup invoice 42', 'setup customer c7', 'produce', 'cleanup customer', 'teardown invoice 42'])
    expect(producer.mock.calls[0]![0]).toEqual({
      state: 'an invoice exists',
      states: e.providerStates,
      params: { invoiceId: '42', customerId: 'c7', tenant: 't2' },
      expectation: e,
      consumer: 'pdf-worker',
    })
  })

  it('tears down after a schema mismatch, and after a producer that throws', async () => {
    const teardown = vi.fn()
    const e = expectation('a', { a: integer() }, { providerStates: [{ name: 's' }] })
    await verifyOne(e, () => ({ payload: { a: 'x' } }), { states: { s: { teardown } } })
    await verifyOne(
      e,
      () => {
        throw new Error('boom')
      },
      { states: { s: { teardown } } },
    )
    expect(teardown).toHaveBeenCalledTimes(2)
  })

  it('when a setup throws: the producer does not run, the failure is reported, and teardown still runs', async () => {
    const events: string[] = []
    const e = expectation('a', { a: 1 }, { providerStates: [{ name: 'first' }, { name: 'second' }, { name: 'third' }] })
    const states: StateHandlers = {
      first: { setup: () => void events.push('setup first'), teardown: () => void events.push('teardown first') },
      second: {
        setup: () => {
          throw new Error('seed failed')
        },
        teardown: () => void events.push('teardown second'),
      },
      third: { setup: () => void events.push('setup third'), teardown: () => void events.push('teardown third') },
    }
    const producer = vi.fn(() => ({ payload: { a: 1 } }))
    const result = await verifyOne(e, producer, { states })
    expect(producer).not.toHaveBeenCalled()
    expect(events).toEqual(['setup first', 'teardown second', 'teardown first'])
    expect(result.mismatches).toEqual([
      expect.objectContaining({ kind: 'setup-failed', state: 'second', message: 'setup of state `second` threw Error: seed failed' }),
    ])
  })

  it('a teardown that throws fails the expectation', async () => {
    const e = expectation('a', { a: 1 }, { providerStates: [{ name: 's' }] })
    const result = await verifyOne(e, () => ({ payload: { a: 1 } }), {
      states: {
        s: {
          teardown: () => {
            throw new Error('cannot delete')
          },
        },
      },
    })
    expect(result.status).toBe('failed')
    expect(result.mismatches).toEqual([expect.objectContaining({ kind: 'teardown-failed', state: 's' })])
  })
})

describe('verifyContracts: producers are found by description, then channel#messageName, then channel', () => {
  it('uses the most specific key that exists', async () => {
    const used: string[] = []
    const producer =
      (key: string): Producer =>
      () => {
        used.push(key)
        return { payload: { a: 1 } }
      }
    const expectations = [
      expectation('exact', { a: 1 }, { channel: 'c', messageName: 'm' }),
      expectation('named', { a: 1 }, { channel: 'c', messageName: 'm' }),
      expectation('other name', { a: 1 }, { channel: 'c', messageName: 'n' }),
      expectation('unnamed', { a: 1 }, { channel: 'c' }),
    ]
    const report = await verify(
      [contractOf(expectations)],
      { exact: producer('exact'), 'c#m': producer('c#m'), c: producer('c') },
      { concurrency: 1 },
    )
    expect(report.success).toBe(true)
    expect(used).toEqual(['exact', 'c#m', 'c', 'c'])
  })
})

describe('verifyContracts: which contracts', () => {
  it('skips contracts for another provider, says so at debug level, and prints nothing by default', async () => {
    const log = vi.spyOn(console, 'log')
    const debugSpy = vi.spyOn(console, 'debug')
    const warn = vi.spyOn(console, 'warn')
    const debug = vi.fn()
    const mine = contractOf([expectation('a', { a: 1 })])
    const theirs = contractOf([expectation('b', { b: 1 })], 'pdf-worker', 'billing-api')
    const producers = { 'pdf.requested': () => ({ payload: { a: 1 } }) }
    const report = await verify([theirs, mine], producers, { logger: { debug } })
    expect(report.contracts.map((c) => c.provider)).toEqual([PROVIDER])
    expect(report.ignored).toEqual([{ consumer: 'pdf-worker', provider: 'billing-api' }])
    expect(debug).toHaveBeenCalledWith(expect.stringContaining('skipping contract pdf-worker → billing-api'))
    await verify([theirs, mine], producers)
    expect(log).not.toHaveBeenCalled()
    expect(debugSpy).not.toHaveBeenCalled()
    expect(warn).not.toHaveBeenCalled()
  })

  it('reads every contract of a directory, given as a path or a file URL', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'treaty-verify-'))
    await writeContract(dir, contractOf([expectation('a', { a: integer() })], 'pdf-worker'))
    await writeContract(dir, contractOf([expectation('b', { a: integer() })], 'archiver'))
    const producers = { 'pdf.requested': () => ({ payload: { a: 1 } }) }
    const byPath = await verifyContracts({ provider: PROVIDER, contracts: dir, producers })
    expect(byPath.contracts.map((c) => c.consumer)).toEqual(['archiver', 'pdf-worker'])
    expect(byPath.success).toBe(true)
    const byUrl = await verifyContracts({ provider: PROVIDER, contracts: pathToFileURL(dir), producers })
    expect(byUrl.summary.passed).toBe(2)
  })

  it('reads the files as they are on every run: a contract changed on disk between runs of one process is verified as changed', async () => {
    // Schemas and validators are memoised by content across runs; what a file says never is.
    const dir = await mkdtemp(join(tmpdir(), 'treaty-verify-'))
    const file = join(dir, 'pdf-worker--pdf-api.json')
    const schema = { type: 'object', required: ['a'], properties: { a: { type: 'integer' } } }
    const write = (payloadSchema: unknown, example = { a: 1 }, providerStates: Expectation['providerStates'] = []) =>
      writeFile(file, serializeContract(contractOf([{ ...rawExpectation('a', payloadSchema as JsonSchema, example), providerStates }])))
    const producers = { 'pdf.requested': () => ({ payload: { a: 1 } }) }
    const states = { 'a job exists': () => {} }
    const run = () => verifyContracts({ provider: PROVIDER, contracts: dir, producers, states })
    await write(schema)
    expect((await run()).success).toBe(true)
    await write({ ...schema, properties: { a: { type: 'integer', minimum: 2 } } }, { a: 2 })
    const changed = await run()
    expect(changed.success).toBe(false)
    expect(changed.contracts[0]!.expectations[0]!.mismatches[0]).toMatchObject({ kind: 'schema', pointer: '/a' })
    await write({ ...schema, properties: { a: { type: 'integr' } } })
    await expect(run()).rejects.toMatchObject({ code: ErrorCodes.SCHEMA_INVALID })
    await write(schema, { a: 1 }, [{ name: 'no such state' }])
    const missingState = await run()
    expect(missingState.success).toBe(false)
    expect(missingState.contracts[0]!.expectations[0]!.mismatches[0]).toMatchObject({ kind: 'unknown-state' })
    await write(schema)
    expect((await run()).success).toBe(true)
  })

  it('rejects an unusable setup with TREATY_VERIFY_CONFIG_INVALID or TREATY_NAME_INVALID', async () => {
    const contracts = [contractOf([expectation('a', { a: 1 })])]
    const code = (options: unknown) =>
      verifyContracts(options as VerifyOptions).then(
        () => 'resolved',
        (err: { code: string }) => err.code,
      )
    expect(await code({ provider: PROVIDER, contracts })).toBe(ErrorCodes.VERIFY_CONFIG_INVALID)
    expect(await code({ provider: PROVIDER, contracts, producers: { x: 'not a function' } })).toBe(ErrorCodes.VERIFY_CONFIG_INVALID)
    expect(await code({ provider: PROVIDER, contracts, producers: {}, concurrency: 0 })).toBe(ErrorCodes.VERIFY_CONFIG_INVALID)
    expect(await code({ provider: PROVIDER, contracts, producers: {}, states: { s: 42 } })).toBe(ErrorCodes.VERIFY_CONFIG_INVALID)
    expect(await code({ provider: PROVIDER, contracts: [{ nope: true }], producers: {} })).toBe(ErrorCodes.VERIFY_CONFIG_INVALID)
    expect(await code({ provider: '../etc', contracts, producers: {} })).toBe(ErrorCodes.NAME_INVALID)
  })
})

describe('verifyContracts: concurrency', () => {
  /** A producer that records how many producers are running at once. */
  function tracking(delay: () => number) {
    const stats = { running: 0, max: 0 }
    const producer: Producer = async () => {
      stats.running++
      stats.max = Math.max(stats.max, stats.running)
      await sleep(delay())
      stats.running--
      return { payload: { a: 1 } }
    }
    return { stats, producer }
  }

  it('runs at most `concurrency` expectations at once', async () => {
    const { stats, producer } = tracking(() => 5)
    const expectations = Array.from({ length: 12 }, (_, i) => expectation(`e${i}`, { a: 1 }))
    const report = await verify([contractOf(expectations)], { 'pdf.requested': producer }, { concurrency: 3 })
    expect(report.summary.passed).toBe(12)
    expect(stats.max).toBe(3)
  })

  it('defaults to one expectation per CPU', async () => {
    const { stats, producer } = tracking(() => 5)
    const count = availableParallelism() + 3
    const expectations = Array.from({ length: count }, (_, i) => expectation(`e${i}`, { a: 1 }))
    await verify([contractOf(expectations)], { 'pdf.requested': producer })
    expect(stats.max).toBe(availableParallelism())
  })

  it('reports results in contract order, whatever order they finish in', async () => {
    const delays = [25, 1, 15, 5, 20, 0, 10, 3]
    let call = 0
    const producer: Producer = async ({ expectation: e }) => {
      await sleep(delays[call++ % delays.length]!)
      return { payload: { a: e.description.endsWith('3') ? 'bad' : 1 } }
    }
    const a = contractOf(
      Array.from({ length: 4 }, (_, i) => expectation(`a${i}`, { a: integer() })),
      'consumer-a',
    )
    const b = contractOf(
      Array.from({ length: 4 }, (_, i) => expectation(`b${i}`, { a: integer() })),
      'consumer-b',
    )
    const report = await verify([a, b], { 'pdf.requested': producer }, { concurrency: 8 })
    expect(report.contracts.map((c) => c.consumer)).toEqual(['consumer-a', 'consumer-b'])
    expect(report.contracts.flatMap((c) => c.expectations.map((e) => `${e.description}:${e.status}`))).toEqual([
      'a0:passed',
      'a1:passed',
      'a2:passed',
      'a3:failed',
      'b0:passed',
      'b1:passed',
      'b2:passed',
      'b3:failed',
    ])
  })

  it('serialises expectations that share a state, from its setup to its teardown', async () => {
    const intervals: { from: number; to: number }[] = []
    const open = new Map<string, number>()
    let tick = 0
    const states: StateHandlers = {
      'an invoice exists': {
        setup: async (p) => {
          open.set(String(p.n), tick++)
          await sleep(2)
        },
        teardown: async (p) => {
          await sleep(2)
          intervals.push({ from: open.get(String(p.n))!, to: tick++ })
        },
      },
    }
    const { stats, producer } = tracking(() => 3)
    const expectations = Array.from({ length: 6 }, (_, n) =>
      expectation(`e${n}`, { a: 1 }, { providerStates: [{ name: 'an invoice exists', params: { n } }] }),
    )
    const report = await verify([contractOf(expectations)], { 'pdf.requested': producer }, { states, concurrency: 6 })
    expect(report.summary.passed).toBe(6)
    expect(stats.max).toBe(1)
    intervals.sort((x, y) => x.from - y.from)
    for (let i = 1; i < intervals.length; i++) expect(intervals[i]!.from).toBeGreaterThan(intervals[i - 1]!.to)
  })

  it('lets expectations that share a parallel-safe state overlap', async () => {
    const { stats, producer } = tracking(() => 10)
    const states: StateHandlers = { 'an invoice exists': { setup: () => sleep(1), parallelSafe: true } }
    const expectations = Array.from({ length: 4 }, (_, n) =>
      expectation(`e${n}`, { a: 1 }, { providerStates: [{ name: 'an invoice exists', params: { n } }] }),
    )
    await verify([contractOf(expectations)], { 'pdf.requested': producer }, { states, concurrency: 4 })
    expect(stats.max).toBe(4)
  })
})

describe('progress', () => {
  it('reports each finished expectation, counting up to the total', async () => {
    const seen: [number, number, string][] = []
    const contract = {
      treaty: '1' as const,
      consumer: 'c',
      provider: 'p',
      expectations: ['a', 'b', 'c'].map((d) => ({
        description: d,
        channel: 'x',
        providerStates: [],
        payload: { schema: true, example: 1 },
      })),
    }
    await verifyContracts({
      provider: 'p',
      contracts: [contract],
      producers: { x: async () => ({ payload: 1 }) },
      onProgress: (done, total, r) => seen.push([done, total, r.status]),
    })
    expect(seen.map(([d]) => d)).toEqual([1, 2, 3])
    expect(seen.every(([, t, s]) => t === 3 && s === 'passed')).toBe(true)
  })
})
