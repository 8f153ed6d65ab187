// `treaty contracts prune` on a real project: vitest runs write the contract and its fragments, then the
// CLI removes what no recorded run owns (docs/contract-format.md, "Partial runs never shrink a contract").
import { readFile, rm, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { coreSource, runVitest, workDir } from '../../core/test/run-vitest.js'
import { treaty } from './treaty.js'

const testFile = (descriptions: string[]) => `
import { test } from 'vitest'
import { messageContract, string } from ${JSON.stringify(coreSource)}
const api = messageContract({ consumer: 'worker', provider: 'api', dir: 'contracts' })
${descriptions.map((d) => `test('${d}', async () => { await api.expects('${d}').on('c.${d}').withPayload({ id: string() }).verify(() => {}) })`).join('\n')}
`

describe('treaty contracts prune', { timeout: 240_000 }, () => {
  let dir: string
  const contractFile = () => join(dir, 'contracts/worker--api.json')
  const descriptions = async () =>
    (JSON.parse(await readFile(contractFile(), 'utf8')) as { expectations: { description: string }[] }).expectations.map(
      (e) => e.description,
    )

  beforeAll(async () => {
    dir = await workDir('prune')
    await writeFile(join(dir, 'a.test.ts'), testFile(['e1', 'e2']))
    await writeFile(join(dir, 'b.test.ts'), testFile(['e3']))
    const first = await runVitest(dir)
    expect(first.code, first.output).toBe(0)
    // As on a fresh clone (.treaty/ is not versioned) where a.test.ts no longer declares e2: a complete
    // run keeps e2, which no fragment owns. That is what prune is for.
    await rm(join(dir, 'contracts/.treaty'), { recursive: true })
    await writeFile(join(dir, 'a.test.ts'), testFile(['e1']))
    const second = await runVitest(dir)
    expect(second.code, second.output).toBe(0)
    expect(await descriptions()).toEqual(['e1', 'e2', 'e3'])
  }, 200_000)
  afterAll(async () => {
    if (dir) await rm(dir, { recursive: true, force: true })
  })

  it('--dry-run prints what it would remove and changes nothing', async () => {
    const before = await readFile(contractFile(), 'utf8')
    const r = await treaty(['contracts', 'prune', '--dry-run'], { cwd: dir })
    expect(r.code, r.stderr).toBe(0)
    expect(r.stdout).toContain('would remove: e2')
    expect(r.stdout).toContain('kept 2')
    expect(r.stdout).toContain('dry run: nothing was changed')
    expect(await readFile(contractFile(), 'utf8')).toBe(before)
    const json = await treaty(['contracts', 'prune', 'contracts', '--dry-run', '--json', '--consumer', 'worker'], { cwd: dir })
    expect(json.code, json.stderr).toBe(0)
    expect(JSON.parse(json.stdout)).toMatchObject({ dryRun: true, contracts: [{ removed: ['e2'], kept: 2, deletedTestFiles: [] }] })
  })

  it('removes the expectations no recorded run owns, and those of deleted test files', async () => {
    await rm(join(dir, 'b.test.ts'))
    const r = await treaty(['contracts', 'prune'], { cwd: dir })
    expect(r.code, r.stderr).toBe(0)
    expect(r.stdout).toContain('removed: e2')
    expect(r.stdout).toContain('removed: e3')
    expect(r.stdout).toContain(`test file deleted: ${join(dir, 'b.test.ts')}`)
    expect(await descriptions()).toEqual(['e1'])
    // Pruned already: a second prune removes nothing.
    const again = await treaty(['contracts', 'prune', '--json'], { cwd: dir })
    expect(JSON.parse(again.stdout)).toMatchObject({ dryRun: false, contracts: [{ removed: [], kept: 1 }] })
  })

  it('refuses two files holding the same pair, naming both, before acting (prune, publish before any request)', async () => {
    const copy = join(dir, 'contracts/worker--api.old.json')
    await writeFile(copy, await readFile(contractFile(), 'utf8'))
    try {
      const before = await readFile(contractFile(), 'utf8')
      const pruned = await treaty(['contracts', 'prune'], { cwd: dir })
      expect(pruned.code).toBe(2)
      expect(pruned.stderr).toContain("contracts/worker--api.json and contracts/worker--api.old.json both hold worker's contract with api")
      expect(pruned.stderr).toContain('hint: keep one: consumer tests write worker--api.json')
      expect(await readFile(contractFile(), 'utf8')).toBe(before)
      // Port 9 (discard) on loopback: nothing listens, so reaching the network would fail differently.
      const published = await treaty(['publish', '--broker-url', 'http://127.0.0.1:9', '--app-version', '1.0.0', '--branch', 'main'], {
        cwd: dir,
      })
      expect(published.code).toBe(2)
      expect(published.stderr).toContain('both hold')
    } finally {
      await rm(copy)
    }
    // The same file named twice (in its directory and by name) is one file, not a clash.
    const twice = await treaty(['codegen', 'contracts', 'contracts/worker--api.json', '--check', '--json'], { cwd: dir })
    expect(twice.code, twice.stderr).toBe(1)
    expect(JSON.parse(twice.stdout).stale).toEqual([join(dir, 'src/generated/worker--api.ts')])
  })

  it('refuses, exit 2, and keeps the contract when no test run is recorded (pruning would empty it)', async () => {
    await rm(join(dir, 'contracts/.treaty'), { recursive: true })
    const before = await readFile(contractFile(), 'utf8')
    const r = await treaty(['contracts', 'prune'], { cwd: dir })
    expect(r.code).toBe(2)
    expect(r.stderr).toContain('pruning would empty the contract')
    expect(r.stderr).toContain('hint: run the consumer tests')
    expect(await readFile(contractFile(), 'utf8')).toBe(before)
    const none = await treaty(['contracts', 'prune', '--provider', 'nobody'], { cwd: dir })
    expect(none.code).toBe(2)
    expect(none.stderr).toContain('no contract file of provider nobody')
  })
})
