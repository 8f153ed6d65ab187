import { execFileSync, spawn } from 'node:child_process'
import { once } from 'node:events'
import { mkdtemp, readFile, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { ErrorCodes, TreatyError } from '../errors.js'
import { valueHash } from '../json/same-value.js'
import { validate } from '../schema/engine.js'
import { contractSchema, isServiceName, SERVICE_NAME_PATTERN } from './contract-schema.js'
import { parseContract, parseContractAsync, readContract, readContracts, writeContract } from './read-write.js'
import type { Contract } from './types.js'

const valid: Contract = {
  treaty: '1',
  consumer: 'pdf-worker',
  provider: 'pdf-api',
  expectations: [
    {
      description: 'a PDF generation request',
      channel: 'pdf.requested',
      providerStates: [{ name: 'an invoice exists', params: { invoiceId: '42' } }],
      headers: { schema: { type: 'object', properties: { 'Correlation-Id': { type: 'string' } } }, example: { 'Correlation-Id': 'c-1' } },
      payload: { schema: { type: 'object', required: ['jobId'], properties: { jobId: { type: 'string' } } }, example: { jobId: 'j' } },
    },
  ],
}

function codeOf(fn: () => unknown): { code: string; path?: string; message: string } {
  try {
    fn()
  } catch (err) {
    if (err instanceof TreatyError) return { code: err.code, path: err.path, message: err.message }
    throw err
  }
  throw new Error('did not throw')
}

describe('parseContract', () => {
  it('accepts a valid contract, which the shipped contractSchema accepts too', () => {
    expect(parseContract(structuredClone(valid))).toEqual(valid)
    expect(validate(contractSchema, valid)).toEqual([])
  })

  it('refuses a consumer or provider name the broker could never address (the one name rule: no "..")', () => {
    for (const field of ['consumer', 'provider'] as const) {
      for (const name of ['pdf..api', '..', 'a..', 'pdf/api', '-pdf']) {
        expect(codeOf(() => parseContract({ ...structuredClone(valid), [field]: name }))).toMatchObject({
          code: ErrorCodes.CONTRACT_INVALID,
          path: field,
        })
        expect(isServiceName(name)).toBe(false)
      }
    }
    for (const name of ['pdf.api_v2-1', 'a.b.c', 'v1.', 'x'.repeat(128)]) expect(isServiceName(name)).toBe(true)
    expect(isServiceName('x'.repeat(129))).toBe(false)
    expect(new RegExp(SERVICE_NAME_PATTERN).test('a.b.c')).toBe(true)
  })

  it('parseContractAsync checks the same, and lets other work run between expectations', async () => {
    const many: Contract = {
      ...structuredClone(valid),
      expectations: Array.from({ length: 50 }, (_, i) => ({ ...structuredClone(valid.expectations[0]!), description: `e${i}` })),
    }
    const order: string[] = []
    const parsing = parseContractAsync(structuredClone(many)).then(() => void order.push('parsed'))
    setImmediate(() => order.push('other work'))
    await parsing
    expect(order).toEqual(['other work', 'parsed'])
    expect(await parseContractAsync(structuredClone(many))).toEqual(parseContract(structuredClone(many)))
    const broken = structuredClone(many)
    broken.expectations[49]!.payload.example = { jobId: 42 }
    await expect(parseContractAsync(broken)).rejects.toMatchObject({
      code: ErrorCodes.EXAMPLE_INVALID,
      path: 'expectations[49].payload.example',
    })
  })

  it('names the JSON path of a bad field', () => {
    const bad = structuredClone(valid) as unknown as { expectations: { channel: unknown }[] }
    bad.expectations[0]!.channel = 42
    const e = codeOf(() => parseContract(bad, 'x.json'))
    expect(e.code).toBe(ErrorCodes.CONTRACT_INVALID)
    expect(e.path).toBe('expectations[0].channel')
    expect(e.message).toContain('x.json: expectations[0].channel: expected string (found 42)')
  })

  it('names a missing required field', () => {
    const bad = structuredClone(valid) as unknown as Record<string, unknown>
    delete bad.provider
    expect(codeOf(() => parseContract(bad))).toMatchObject({ code: ErrorCodes.CONTRACT_INVALID, path: 'provider' })
  })

  it('refuses a contract written by a newer format version', () => {
    expect(codeOf(() => parseContract({ ...valid, treaty: '2' }))).toMatchObject({
      code: ErrorCodes.CONTRACT_VERSION_UNSUPPORTED,
      path: 'treaty',
    })
  })

  it('refuses an invalid payload schema with the path of the keyword', () => {
    const bad = structuredClone(valid)
    bad.expectations[0]!.payload.schema = { type: 'object', properties: { jobId: { type: 'strnig' } } }
    const e = codeOf(() => parseContract(bad))
    expect(e.code).toBe(ErrorCodes.SCHEMA_INVALID)
    expect(e.path).toMatch(/^expectations\[0\]\.payload\.schema\.properties\.jobId/)
  })

  it('refuses a schema the meta-schema allows but ajv cannot compile, naming the schema (a $ref to nothing, an empty enum)', () => {
    for (const schema of [{ $ref: '#/$defs/missing' }, { enum: [] }]) {
      const bad = structuredClone(valid)
      bad.expectations[0]!.payload.schema = schema
      const e = codeOf(() => parseContract(bad, 'contracts/a.json'))
      expect(e).toMatchObject({ code: ErrorCodes.SCHEMA_INVALID, path: 'expectations[0].payload.schema' })
      expect(e.message).toMatch(/^contracts\/a\.json: expectations\[0\]\.payload\.schema: schema does not compile: /)
    }
  })

  it('refuses an example its schema rejects', () => {
    const bad = structuredClone(valid)
    bad.expectations[0]!.payload.example = {}
    expect(codeOf(() => parseContract(bad))).toMatchObject({ code: ErrorCodes.EXAMPLE_INVALID, path: 'expectations[0].payload.example' })
  })

  it('refuses duplicate descriptions', () => {
    const bad = structuredClone(valid)
    bad.expectations.push(structuredClone(bad.expectations[0]!))
    expect(codeOf(() => parseContract(bad))).toMatchObject({ code: ErrorCodes.EXPECTATION_DUPLICATE, path: 'expectations[1].description' })
  })

  it('refuses service names that could escape a directory', () => {
    expect(codeOf(() => parseContract({ ...valid, consumer: '../etc' })).code).toBe(ErrorCodes.CONTRACT_INVALID)
  })
})

describe('reading and writing files', () => {
  it('writes <consumer>--<provider>.json and reads it back', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'treaty-rw-'))
    const path = await writeContract(dir, valid)
    expect(path).toBe(join(dir, 'pdf-worker--pdf-api.json'))
    expect(await readContract(path)).toEqual(valid)
    expect(await readContracts(dir)).toEqual([valid])
  })

  it('reads UTF-8 text beyond ASCII as written (ASCII files take a faster decoding)', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'treaty-rw-'))
    const first = valid.expectations[0]!
    const accented: Contract = {
      ...valid,
      expectations: [{ ...first, description: 'une requête de PDF — 請求書 🧾', payload: { ...first.payload, example: { jobId: 'é' } } }],
    }
    expect(await readContract(await writeContract(dir, accented))).toEqual(accented)
  })

  it('reads files one after another through one kept buffer: a short file after a long one, a pipe of unknown size', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'treaty-rw-'))
    const first = valid.expectations[0]!
    const long: Contract = {
      ...valid,
      expectations: [{ ...first, payload: { ...first.payload, example: { jobId: 'x'.repeat(100_000) } } }],
    }
    const longPath = await writeContract(dir, long)
    const shortPath = await writeContract(dir, { ...valid, consumer: 'a' })
    expect(await readContract(longPath)).toEqual(long)
    expect(await readContract(shortPath)).toEqual({ ...valid, consumer: 'a' })
    // A named pipe reports size 0: the reader grows its buffer until the end of the data.
    const fifo = join(dir, 'piped.json')
    execFileSync('mkfifo', [fifo])
    const writer = spawn('sh', ['-c', 'cat "$0" > "$1"', longPath, fifo], { stdio: 'inherit' })
    const exited = once(writer, 'exit')
    expect(await readContract(fifo)).toEqual(long)
    expect(await exited).toEqual([0, null])
    expect(await readContract(shortPath)).toEqual({ ...valid, consumer: 'a' })
  })

  it('reports an unreadable, truncated or missing file with CONTRACT_UNREADABLE', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'treaty-rw-'))
    await writeFile(join(dir, 'broken.json'), '{"treaty": "1", ')
    await expect(readContract(join(dir, 'broken.json'))).rejects.toMatchObject({ code: ErrorCodes.CONTRACT_UNREADABLE })
    await expect(readContract(join(dir, 'missing.json'))).rejects.toMatchObject({ code: ErrorCodes.CONTRACT_UNREADABLE })
    await expect(readContracts(join(dir, 'nope'))).rejects.toMatchObject({ code: ErrorCodes.CONTRACT_UNREADABLE })
  })

  it('never writes an invalid contract', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'treaty-rw-'))
    await expect(writeContract(dir, { ...valid, expectations: [{ ...valid.expectations[0]!, channel: '' }] })).rejects.toMatchObject({
      code: ErrorCodes.CONTRACT_INVALID,
    })
    await expect(readFile(join(dir, 'pdf-worker--pdf-api.json'))).rejects.toThrow()
  })

  it('checks each distinct schema once, shares it between expectations, and still checks every example', () => {
    const schema = { type: 'object', required: ['n'], properties: { n: { type: 'integer', minimum: 1 } } }
    const expectation = (description: string, n: number) => ({
      description,
      channel: 'x',
      providerStates: [],
      payload: { schema: structuredClone(schema), example: { n } },
    })
    const parsed = parseContract({ ...valid, expectations: [expectation('a', 1), expectation('b', 2)] })
    expect(parsed.expectations[0]?.payload.schema).toBe(parsed.expectations[1]?.payload.schema)
    const bad = { ...valid, expectations: [expectation('a', 1), expectation('b', 0)] }
    expect(codeOf(() => parseContract(bad))).toMatchObject({ code: ErrorCodes.EXAMPLE_INVALID, path: 'expectations[1].payload.example' })
    const badSchema = { ...valid, expectations: [{ ...expectation('a', 1), payload: { schema: { type: 'nope' }, example: 1 } }] }
    expect(codeOf(() => parseContract(badSchema)).code).toBe(ErrorCodes.SCHEMA_INVALID)
    expect(codeOf(() => parseContract(badSchema)).code).toBe(ErrorCodes.SCHEMA_INVALID)
  })

  it('shares a schema only with one of the same content, never with another of the same hash', () => {
    // Two schemas whose content hashes collide (json/same-value.ts): each must check examples by itself.
    const [first, second] = [{ const: 'x23zx' }, { const: 'xdpad' }]
    expect(valueHash(first)).toBe(valueHash(second))
    const expectation = (description: string, schema: object, example: string) => ({
      description,
      channel: 'x',
      providerStates: [],
      payload: { schema: structuredClone(schema), example },
    })
    const parsed = parseContract({ ...valid, expectations: [expectation('a', first, 'x23zx'), expectation('b', second, 'xdpad')] })
    expect(parsed.expectations.map((e) => e.payload.schema)).toEqual([first, second])
    const wrong = { ...valid, expectations: [expectation('a', first, 'x23zx'), expectation('b', second, 'x23zx')] }
    expect(codeOf(() => parseContract(wrong))).toMatchObject({
      code: ErrorCodes.EXAMPLE_INVALID,
      message: 'expectations[1].payload.example: expected exactly "xdpad"',
    })
    // Key order is content too (it orders the errors a validator reports), so it is not shared.
    const reordered = parseContract({
      ...valid,
      expectations: [expectation('a', { type: 'string', minLength: 1 }, 'x'), expectation('b', { minLength: 1, type: 'string' }, 'x')],
    })
    expect(Object.keys(reordered.expectations[1]!.payload.schema)).toEqual(['minLength', 'type'])
  })
})
