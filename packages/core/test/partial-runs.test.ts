// The partial-run rule (docs/contract-format.md, "How the file is written") with real vitest runs in a
// temp project: filtered, focused, skipped, file-subset and failing runs never shrink the contract;
// only a complete run of a file removes what it no longer declares.
import { readFile, rename, rm, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ErrorCodes, pruneContract, readContract } from '../src/index.js'
import { coreSource, runVitest, workDir } from './run-vitest.js'

interface FileA {
  /** Channel of the first expectation: changing it is how a run "updates" an expectation. */
  channel: string
  firstMode?: '' | '.only' | '.skip'
  firstThrows?: boolean
  withSecond?: boolean
  withOtherPair?: boolean
}

function fileA({ channel, firstMode = '', firstThrows = false, withSecond = true, withOtherPair = true }: FileA): string {
  return `
import { writeFileSync } from 'node:fs'
import { test } from 'vitest'
import { messageContract, string } from ${JSON.stringify(coreSource)}
const api = messageContract({ consumer: 'worker', provider: 'api', dir: 'contracts' })
const other = messageContract({ consumer: 'worker', provider: 'other', dir: 'contracts' })
test${firstMode}('first', async () => {
  try {
    await api.expects('e1').on(${JSON.stringify(channel)}).withPayload({ id: string() }).verify(() => { ${firstThrows ? "throw new Error('broken handler')" : ''} })
  } catch (err) {
    writeFileSync('error-code.txt', String(err.code))
    throw err
  }
})
${withSecond ? "test('second', async () => { await api.expects('e2').on('c.e2').withPayload({ n: 1 }).verify(() => {}) })" : ''}
${withOtherPair ? "test('other pair', async () => { await other.expects('o1').on('c.o1').withPayload({ n: 1 }).verify(() => {}) })" : ''}
`
}

/** File b also proves that nothing is written before the file ends: its own fragment is untouched mid-file. */
const fileB = `
import { createHash } from 'node:crypto'
import { statSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { test } from 'vitest'
import { messageContract } from ${JSON.stringify(coreSource)}
const fragment = 'contracts/.treaty/worker--api/' + createHash('sha256').update(fileURLToPath(import.meta.url)).digest('hex').slice(0, 24) + '.json'
const writtenAt = () => statSync(fragment, { throwIfNoEntry: false })?.mtimeMs
const before = writtenAt()
const api = messageContract({ consumer: 'worker', provider: 'api', dir: 'contracts' })
const other = messageContract({ consumer: 'worker', provider: 'other', dir: 'contracts' })
test('third', async () => { await api.expects('e3').on('c.e3').withPayload({ n: 3 }).verify(() => {}) })
test('other pair from b', async () => { await other.expects('o2').on('c.o2').withPayload({ n: 2 }).verify(() => {}) })
test('nothing written before the file ends', () => {
  if (writtenAt() !== before) throw new Error('the fragment was written before the file ended')
})
`

describe('partial runs never shrink a contract', { timeout: 240_000 }, () => {
  let dir: string
  const channels = async (provider = 'api') =>
    Object.fromEntries(
      (await readContract(join(dir, `contracts/worker--${provider}.json`))).expectations.map((e) => [e.description, e.channel]),
    )
  const run = async (a: FileA, args: string[] = []) => {
    await writeFile(join(dir, 'a.test.ts'), fileA(a))
    return runVitest(dir, args)
  }

  beforeAll(async () => {
    dir = await workDir('partial')
    await writeFile(join(dir, 'b.test.ts'), fileB)
    const first = await run({ channel: 'c.1' })
    expect(first.code, first.output).toBe(0)
  }, 120_000)
  afterAll(async () => {
    if (dir) await rm(dir, { recursive: true, force: true })
  })

  it('a complete first run writes every expectation of both pairs', async () => {
    expect(await channels()).toEqual({ e1: 'c.1', e2: 'c.e2', e3: 'c.e3' })
    expect(await channels('other')).toEqual({ o1: 'c.o1', o2: 'c.o2' })
  })

  it('a name filter (-t) updates what ran and keeps the rest', async () => {
    const filtered = await run({ channel: 'c.2' }, ['-t', 'first'])
    expect(filtered.code, filtered.output).toBe(0)
    expect(await channels()).toEqual({ e1: 'c.2', e2: 'c.e2', e3: 'c.e3' })
    expect(await channels('other')).toEqual({ o1: 'c.o1', o2: 'c.o2' })
  })

  it('.only and .skip keep what did not run as it was', async () => {
    // --allowOnly: vitest refuses `.only` when CI is set, as it should; this run is a developer's local one.
    const only = await run({ channel: 'c.3', firstMode: '.only' }, ['a.test.ts', '--allowOnly'])
    expect(only.code, only.output).toBe(0)
    expect(await channels()).toEqual({ e1: 'c.3', e2: 'c.e2', e3: 'c.e3' })
    const skipped = await run({ channel: 'c.4', firstMode: '.skip', withSecond: false }, ['a.test.ts'])
    expect(skipped.code, skipped.output).toBe(0)
    // e1 was skipped (its old version stays), e2 no longer declared, but the run was not complete.
    expect(await channels()).toEqual({ e1: 'c.3', e2: 'c.e2', e3: 'c.e3' })
  })

  it('running a subset of the files keeps the other files’ expectations', async () => {
    await rm(join(dir, 'contracts/.treaty'), { recursive: true })
    // As on a fresh clone (fragments are not versioned): expectations no fragment owns are kept.
    const subset = await run({ channel: 'c.5', withSecond: false, withOtherPair: false }, ['b.test.ts'])
    expect(subset.code, subset.output).toBe(0)
    expect(await channels()).toEqual({ e1: 'c.3', e2: 'c.e2', e3: 'c.e3' })
  })

  it('a failing handler fails its test loudly, is not written, and leaves the proven version', async () => {
    const before = await channels()
    // vitest's default reporter too: what a developer reads, which shows an error's message but not its other fields.
    const failing = await run({ channel: 'c.6', firstThrows: true }, ['--reporter=default'])
    expect(failing.code).not.toBe(0)
    expect(failing.output).toContain('hint: make the handler accept every message the expectation allows, or narrow the expectation')
    expect(await readFile(join(dir, 'error-code.txt'), 'utf8')).toBe(ErrorCodes.HANDLER_FAILED)
    const first = failing.report.testResults.flatMap((f) => f.assertionResults).find((t) => t.title === 'first')
    expect(first?.status).toBe('failed')
    expect(await channels()).toEqual(before)
  })

  it('a complete run removes what a file no longer declares, including a pair it stopped declaring', async () => {
    await run({ channel: 'c.7' })
    expect(await channels('other')).toEqual({ o1: 'c.o1', o2: 'c.o2' })
    const complete = await run({ channel: 'c.7', withSecond: false, withOtherPair: false })
    expect(complete.code, complete.output).toBe(0)
    expect(await channels()).toEqual({ e1: 'c.7', e3: 'c.e3' })
    expect(await channels('other')).toEqual({ o2: 'c.o2' })
  })

  it('a test file renamed, then another file run alone, keeps what it proved until its new name runs; a deleted one until prune', async () => {
    // Before, a test file that was gone released its expectations at the next run of any file: a rename (or a
    // checkout that lacks the file for a while) followed by a run of another file shrank the contract.
    await rename(join(dir, 'a.test.ts'), join(dir, 'renamed.test.ts'))
    // The default reporter as well: it prints what the tests write to the console, as a developer sees it.
    const other = await runVitest(dir, ['b.test.ts', '--reporter=default'])
    expect(other.code, other.output).toBe(0)
    expect(await channels()).toEqual({ e1: 'c.7', e3: 'c.e3' })
    expect(other.output).toContain(`proved by ${join(dir, 'a.test.ts')}, which is gone (renamed or deleted)`)
    await writeFile(join(dir, 'renamed.test.ts'), fileA({ channel: 'c.8', withSecond: false, withOtherPair: false }))
    const renamed = await runVitest(dir, ['renamed.test.ts'])
    expect(renamed.code, renamed.output).toBe(0)
    expect(await channels()).toEqual({ e1: 'c.8', e3: 'c.e3' })

    await rm(join(dir, 'renamed.test.ts'))
    expect((await runVitest(dir, ['b.test.ts'])).code).toBe(0)
    expect(await channels()).toEqual({ e1: 'c.8', e3: 'c.e3' })
    const pruned = await pruneContract({ dir: join(dir, 'contracts'), consumer: 'worker', provider: 'api' })
    // a.test.ts's fragment went when renamed.test.ts declared all it held: only the deleted file is left to prune.
    expect(pruned).toMatchObject({ removed: ['e1'], deletedTestFiles: [join(dir, 'renamed.test.ts')] })
    expect(await channels()).toEqual({ e3: 'c.e3' })
  })
})
