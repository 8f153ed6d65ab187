import { rm, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { pruneContract, readContract } from '../src/index.js'
import { coreSource, runVitest, workDir } from './run-vitest.js'

const FILES = 8
/** Extra expectations per file, written concurrently, so rebuilds overlap a lot. */
const MANY = 20

/** Test file `i`: two expectations of its own, one shared by every file, and one that fails. */
function testFile(i: number, { withSecond = true } = {}): string {
  return `
import { test } from 'vitest'
import { messageContract, string, integer } from ${JSON.stringify(coreSource)}
const contract = messageContract({ consumer: 'worker', provider: 'api', dir: ${JSON.stringify('contracts')} })
const jitter = () => new Promise((r) => setTimeout(r, Math.random() * 20))
test('own message', async () => {
  await contract.expects('message from file ${i}').on('file.${i}').withPayload({ n: integer(${i}) }).verify(jitter)
})
test('many more messages', async () => {
  await Promise.all(Array.from({ length: ${MANY} }, (_, k) => contract.expects(\`extra \${k} from file ${i}\`).on('extra').withPayload({ k }).verify(() => {})))
})
${
  withSecond
    ? `test('second message', async () => {
  await contract.expects('second message from file ${i}').on('file.${i}.b').withPayload({ s: string() }).verify(jitter)
})`
    : ''
}
test('shared message', async () => {
  await contract.expects('a message every file expects').on('shared').withPayload({ id: string('x') }).verify(jitter)
})
test('failing handler stays out of the contract', async () => {
  await contract.expects('never written ${i}').on('nope').withPayload({ a: 1 }).verify(() => { throw new Error('no') }).catch(() => {})
})
`
}

describe('contract writing from parallel vitest workers', () => {
  let dir: string
  afterAll(async () => {
    if (dir) await rm(dir, { recursive: true, force: true })
  })

  // Two vitest runs of 8 workers each: on a loaded 2-core machine that takes well over the default 30 s.
  it(`merges ${FILES} files writing one contract at once, then reflects only the last run`, { timeout: 240_000 }, async () => {
    dir = await workDir('parallel')
    for (let i = 0; i < FILES; i++) await writeFile(join(dir, `file${i}.test.ts`), testFile(i))
    const first = await runVitest(dir, [`--maxWorkers=${FILES}`, '--fileParallelism'])
    expect(first.report.numPassedTests, first.output).toBe(FILES * 5)

    const contract = await readContract(join(dir, 'contracts/worker--api.json'))
    const descriptions = contract.expectations.map((e) => e.description)
    const expected = ['a message every file expects']
    for (let i = 0; i < FILES; i++) {
      expected.push(`message from file ${i}`, `second message from file ${i}`)
      for (let k = 0; k < MANY; k++) expected.push(`extra ${k} from file ${i}`)
    }
    expect(descriptions).toEqual(expected.sort())

    // Rerun after deleting one file and one test from another: the test leaves the contract; the deleted file's
    // expectations stay (it may have been renamed) until prune.
    await rm(join(dir, 'file3.test.ts'))
    await writeFile(join(dir, 'file5.test.ts'), testFile(5, { withSecond: false }))
    const second = await runVitest(dir, [`--maxWorkers=${FILES}`, '--fileParallelism'])
    expect(second.code, second.output).toBe(0)
    const contractFile = join(dir, 'contracts/worker--api.json')
    const after = (await readContract(contractFile)).expectations.map((e) => e.description)
    expect(after).toContain('second message from file 3')
    expect(after).not.toContain('second message from file 5')
    expect(after).toContain('message from file 5')
    expect(after).toHaveLength(1 + FILES * (2 + MANY) - 1)
    await pruneContract({ dir: join(dir, 'contracts'), consumer: 'worker', provider: 'api' })
    const pruned = (await readContract(contractFile)).expectations.map((e) => e.description)
    expect(pruned).not.toContain('message from file 3')
    expect(pruned).not.toContain('second message from file 3')
    expect(pruned).toHaveLength(1 + (FILES - 1) * (2 + MANY) - 1)
  })
})
