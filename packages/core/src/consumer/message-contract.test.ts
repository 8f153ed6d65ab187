import { mkdtemp, readFile, rm, utimes, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { readContract } from '../contract/read-write.js'
import { ContractRecorder, fragmentName, proven, pruneContract } from '../contract/recorder.js'
import { ErrorCodes, type TreatyError } from '../errors.js'
import { boolean, eachLike, integer, oneOf, optional, string, uuid } from '../schema/matchers.js'
import { messageContract } from './message-contract.js'

async function tempContract(maxVariants?: number) {
  const dir = await mkdtemp(join(tmpdir(), 'treaty-consumer-'))
  return messageContract({ consumer: 'pdf-worker', provider: 'pdf-api', dir, ...(maxVariants === undefined ? {} : { maxVariants }) })
}

describe('messageContract', () => {
  it('writes a verified expectation into <dir>/<consumer>--<provider>.json', async () => {
    const contract = await tempContract()
    const result = await contract
      .expects('a PDF generation request')
      .given('an invoice exists', { invoiceId: '42' })
      .on('pdf.requested')
      .withHeaders({ 'Correlation-Id': string('c-1') })
      .withPayload({ jobId: uuid(), pages: integer(1, { minimum: 1 }) })
      .verify(() => {})
    expect(result.contractPath).toBe(contract.contractPath)
    await contract.flush()
    const written = await readContract(contract.contractPath)
    expect(written).toMatchObject({ treaty: '1', consumer: 'pdf-worker', provider: 'pdf-api' })
    expect(written.expectations).toEqual([result.expectation])
    expect(result.expectation.providerStates).toEqual([{ name: 'an invoice exists', params: { invoiceId: '42' } }])
    expect(result.expectation.headers?.example).toEqual({ 'Correlation-Id': 'c-1' })
  })

  it('hands the handler the example first, then every variant, each a fresh copy', async () => {
    const contract = await tempContract()
    const seen: unknown[] = []
    const result = await contract
      .expects('variants')
      .on('x')
      .withPayload({ kind: oneOf(['a', 'b']), flag: optional(boolean(true)) })
      .verify((m) => {
        seen.push(structuredClone(m.payload))
        ;(m.payload as Record<string, unknown>).mutated = true
      })
    expect(seen[0]).toEqual({ kind: 'a', flag: true })
    expect(seen).toEqual(expect.arrayContaining([{ kind: 'b', flag: true }, { kind: 'a' }, { kind: 'a', flag: false }]))
    expect(result.messagesTried).toBe(seen.length)
  })

  it('fails naming the variant the handler cannot cope with, and leaves the expectation out', async () => {
    const contract = await tempContract()
    await contract
      .expects('kept')
      .on('x')
      .withPayload({ a: 1 })
      .verify(() => {})
    const failing = contract
      .expects('a PDF generation request')
      .on('pdf.requested')
      .withPayload({ options: optional({ pageSize: oneOf(['A4', 'Letter']) }) })
      .verify((m) => {
        if (m.payload.options === undefined) throw new Error("Cannot read properties of undefined (reading 'pageSize')")
      })
    const err = (await failing.catch((e: unknown) => e)) as TreatyError
    expect(err.code).toBe(ErrorCodes.HANDLER_FAILED)
    expect(err.message).toContain("fails when `options` is absent: Cannot read properties of undefined (reading 'pageSize')")
    expect(err.details?.failures).toEqual([
      { variant: '`options` is absent', message: "Cannot read properties of undefined (reading 'pageSize')" },
    ])
    await contract.flush()
    const written = await readContract(contract.contractPath)
    expect(written.expectations.map((e) => e.description)).toEqual(['kept'])
  })

  it('keeps the proven version of an expectation when it fails after having passed', async () => {
    const contract = await tempContract()
    let broken = false
    const run = () =>
      contract
        .expects('flaky')
        .on('x')
        .withPayload({ a: string() })
        .verify(() => {
          if (broken) throw new Error('now broken')
        })
    await run()
    await contract.flush()
    const proven = await readFile(contract.contractPath, 'utf8')
    broken = true
    await expect(run()).rejects.toMatchObject({ code: ErrorCodes.HANDLER_FAILED })
    await contract.flush()
    expect(await readFile(contract.contractPath, 'utf8')).toBe(proven)
  })

  it('caps the variants tried', async () => {
    const calls = { n: 0 }
    const payload = { a: oneOf(['1', '2', '3', '4', '5', '6']), b: optional(string()) }
    await (await tempContract(2))
      .expects('capped')
      .on('x')
      .withPayload(payload)
      .verify(() => void calls.n++)
    expect(calls.n).toBe(3)
    calls.n = 0
    await (await tempContract())
      .expects('capped')
      .on('x')
      .withPayload(payload)
      .withMaxVariants(0)
      .verify(() => void calls.n++)
    expect(calls.n).toBe(1)
  })

  it('requires a channel and a payload', async () => {
    const contract = await tempContract()
    await expect(
      contract
        .expects('no channel')
        .withPayload({ a: 1 })
        .verify(() => {}),
    ).rejects.toMatchObject({
      code: ErrorCodes.EXPECTATION_CHANNEL_MISSING,
    })
    await expect(
      contract
        .expects('no payload')
        .on('x')
        .verify(() => {}),
    ).rejects.toMatchObject({
      code: ErrorCodes.EXPECTATION_PAYLOAD_MISSING,
    })
  })

  it('refuses one description declared twice with different content, accepts it twice the same', async () => {
    const contract = await tempContract()
    await contract
      .expects('same')
      .on('x')
      .withPayload({ a: 1 })
      .verify(() => {})
    await contract
      .expects('same')
      .on('x')
      .withPayload({ a: 1 })
      .verify(() => {})
    await expect(
      contract
        .expects('same')
        .on('y')
        .withPayload({ a: 1 })
        .verify(() => {}),
    ).rejects.toMatchObject({
      code: ErrorCodes.EXPECTATION_DUPLICATE,
    })
  })

  it('accepts a raw JSON Schema, building an example when none is given', async () => {
    const contract = await tempContract()
    const schema = { type: 'object', required: ['id'], properties: { id: { type: 'string', format: 'uuid' } } }
    const got: unknown[] = []
    const r = await contract
      .expects('raw')
      .on('x')
      .withPayloadSchema<{ id: string }>(schema)
      .verify((m) => void got.push(m.payload.id))
    expect(r.expectation.payload).toEqual({ schema, example: { id: '7f0c2a4e-3b1d-4c5e-9f6a-8b7c6d5e4f3a' } })
    expect(got).toEqual(['7f0c2a4e-3b1d-4c5e-9f6a-8b7c6d5e4f3a'])
  })

  it('rejects an invalid raw schema or an example it does not accept', async () => {
    const contract = await tempContract()
    expect(() => contract.expects('bad').on('x').withPayloadSchema({ type: 'strnig' })).toThrowError(
      expect.objectContaining({ code: ErrorCodes.SCHEMA_INVALID, path: 'payload.schema.type' }),
    )
    expect(() =>
      contract
        .expects('bad')
        .on('x')
        .withPayloadSchema({ type: 'object', required: ['a'] }, {}),
    ).toThrowError(expect.objectContaining({ code: ErrorCodes.EXAMPLE_INVALID }))
  })

  it('rejects invalid service names before anything is written', () => {
    expect(() => messageContract({ consumer: '../../etc', provider: 'p' })).toThrowError(
      expect.objectContaining({ code: ErrorCodes.NAME_INVALID }),
    )
  })

  it('types the handler message from the matchers', async () => {
    const contract = await tempContract()
    await contract
      .expects('typed')
      .on('x')
      .withHeaders({ 'Correlation-Id': string('c') })
      .withPayload({ jobId: uuid(), items: eachLike({ qty: integer() }), note: optional(string()) })
      .verify((m) => {
        const qty: number = m.payload.items[0]?.qty ?? 0
        const note: string | undefined = m.payload.note
        const cid: string = m.headers['Correlation-Id']
        // @ts-expect-error the contract does not promise `pages`
        m.payload.pages
        return [qty, note, cid]
      })
  })
})

describe('ContractRecorder across test files', () => {
  const e = (description: string, channel: string, example = 1) =>
    proven({ description, channel, providerStates: [], payload: { schema: true, example } })

  it('refuses the same description with different content from two test files', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'treaty-rec-'))
    const [f1, f2] = [join(dir, 'one.test.ts'), join(dir, 'two.test.ts')]
    await writeFile(f1, '')
    await writeFile(f2, '')
    const rec = new ContractRecorder({ dir, consumer: 'c', provider: 'p' })
    rec.prove(f1, e('d', 'a'))
    await rec.flush(f1, true)
    rec.prove(f2, e('d', 'a'))
    await rec.flush(f2, true)
    expect((await readContract(rec.contractPath)).expectations).toHaveLength(1)
    rec.prove(f2, e('d', 'b'))
    await expect(rec.flush(f2, true)).rejects.toMatchObject({ code: ErrorCodes.EXPECTATION_DUPLICATE })
  })

  it('keeps a deleted test file’s expectations until prune, which drops them and what no fragment owns', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'treaty-rec-'))
    const [f1, f2] = [join(dir, 'one.test.ts'), join(dir, 'two.test.ts')]
    await writeFile(f1, '')
    await writeFile(f2, '')
    const rec = new ContractRecorder({ dir, consumer: 'c', provider: 'p' })
    rec.prove(f1, e('one', 'a'))
    await rec.flush(f1, true)
    rec.prove(f2, e('two', 'a'))
    await rec.flush(f2, true)
    await rm(f1)
    await rm(join(dir, '.treaty/c--p', fragmentName(f2)))
    await rec.flush(f2, false)
    // one's file is gone (renamed, or deleted?): kept; two lost its fragment: unowned, kept too, until pruned.
    expect((await readContract(rec.contractPath)).expectations.map((x) => x.description)).toEqual(['one', 'two'])
    rec.prove(f2, e('three', 'a'))
    await rec.flush(f2, false)
    const plan = await pruneContract({ dir, consumer: 'c', provider: 'p', dryRun: true })
    expect(plan).toMatchObject({ removed: ['one', 'two'], kept: 1, testFiles: [f2], deletedTestFiles: [f1] })
    expect((await readContract(rec.contractPath)).expectations.map((x) => x.description)).toEqual(['one', 'three', 'two'])
    expect(await rec.prune()).toEqual(plan)
    expect((await readContract(rec.contractPath)).expectations.map((x) => x.description)).toEqual(['three'])
  })

  it('prune refuses to empty a contract no test run has recorded (a fresh clone), and touches nothing', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'treaty-rec-'))
    const file = join(dir, 'one.test.ts')
    await writeFile(file, '')
    const rec = new ContractRecorder({ dir, consumer: 'c', provider: 'p' })
    rec.prove(file, e('one', 'a'))
    await rec.flush(file, true)
    await rm(join(dir, '.treaty'), { recursive: true })
    const before = await readFile(rec.contractPath, 'utf8')
    for (const dryRun of [true, false]) {
      await expect(pruneContract({ dir, consumer: 'c', provider: 'p', dryRun })).rejects.toMatchObject({
        code: ErrorCodes.PRUNE_WITHOUT_FRAGMENTS,
      })
    }
    expect(await readFile(rec.contractPath, 'utf8')).toBe(before)
  })
})

describe('ContractRecorder with stale fragments', () => {
  it('never lets a stale fragment win over a fresh one, whichever file rebuilds', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'treaty-rec-'))
    const [b, c] = [join(dir, 'b.test.ts'), join(dir, 'c.test.ts')]
    // The stale file's fragment must come first in the merge order, where a naive merge would keep it.
    let a = join(dir, 'a0.test.ts')
    for (let i = 1; fragmentName(a) > fragmentName(b); i++) a = join(dir, `a${i}.test.ts`)
    for (const f of [a, b, c]) await writeFile(f, '')
    const rec = new ContractRecorder({ dir, consumer: 'c', provider: 'p' })
    const e = (description: string, example: number) =>
      proven({ description, channel: 'x', providerStates: [], payload: { schema: true, example } })
    rec.prove(a, e('x', 1))
    await rec.flush(a, true)
    // a.test.ts is edited after its fragment was written: that fragment is stale now.
    const later = new Date(Date.now() + 60_000)
    await utimes(a, later, later)
    rec.prove(b, e('x', 2))
    await rec.flush(b, true)
    const example = async () => (await readContract(rec.contractPath)).expectations.find((x) => x.description === 'x')?.payload.example
    expect(await example()).toBe(2)
    rec.prove(c, e('y', 3))
    await rec.flush(c, true)
    expect(await example()).toBe(2)
  })
})

describe('builder validation', () => {
  it('refuses a variant cap that is not a whole number, and channels or descriptions the format rejects', async () => {
    const contract = await tempContract()
    expect(() => contract.expects('a').withMaxVariants(Number.NaN)).toThrowError(
      expect.objectContaining({ code: ErrorCodes.VERIFY_CONFIG_INVALID }),
    )
    await expect(
      contract
        .expects('b')
        .on('pdf requested')
        .withPayload({ a: 1 })
        .verify(() => {}),
    ).rejects.toMatchObject({
      code: ErrorCodes.CONTRACT_INVALID,
      path: 'channel',
    })
    await expect(
      contract
        .expects('c'.repeat(501))
        .on('x')
        .withPayload({ a: 1 })
        .verify(() => {}),
    ).rejects.toMatchObject({
      code: ErrorCodes.CONTRACT_INVALID,
      path: 'description',
    })
  })
})
