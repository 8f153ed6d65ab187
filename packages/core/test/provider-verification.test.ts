/**
 * End to end, through real vitest child processes on __fixtures__/provider-e2e: a consumer test writes
 * the contract with messageContract; the provider's contractTests verify it against its real code;
 * a deliberately broken producer fails with the pointer of the renamed field; the same failure in a
 * pending contract is reported without failing the run; a provider no contract is addressed to fails.
 */
import { spawn } from 'node:child_process'
import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { readContract } from '../src/index.js'

const here = dirname(fileURLToPath(import.meta.url))
const fixture = join(here, '__fixtures__/provider-e2e')
const vitestBin = resolve(here, '../../../node_modules/vitest/vitest.mjs')

interface AssertionResult {
  fullName: string
  status: string
  failureMessages: string[]
}
interface JsonReport {
  numFailedTests: number
  testResults: { name: string; message: string; assertionResults: AssertionResult[] }[]
}

let work: string

/** Runs the fixture's vitest on `files`, in `work` (so `contracts` means <work>/contracts). */
async function runFixture(...files: string[]): Promise<{ code: number; report: JsonReport; output: string }> {
  const out = join(work, `report-${files.join('-')}.json`)
  const args = [
    vitestBin,
    'run',
    '--root',
    fixture,
    '--config',
    join(fixture, 'vitest.config.ts'),
    '--reporter=json',
    `--outputFile=${out}`,
    ...files,
  ]
  const child = spawn(process.execPath, args, { cwd: work, env: { ...process.env, NO_COLOR: '1' }, stdio: ['ignore', 'pipe', 'pipe'] })
  let output = ''
  child.stdout.on('data', (d) => (output += d))
  child.stderr.on('data', (d) => (output += d))
  const code = await new Promise<number>((done) => child.on('close', (c) => done(c ?? 1)))
  return { code, report: JSON.parse(await readFile(out, 'utf8')) as JsonReport, output }
}

function results(report: JsonReport, file: string): AssertionResult[] {
  return report.testResults.filter((r) => r.name.endsWith(`/${file}`)).flatMap((r) => r.assertionResults)
}

describe('provider verification, end to end', () => {
  beforeAll(async () => {
    work = await mkdtemp(join(tmpdir(), 'treaty-e2e-'))
    const consumer = await runFixture('consumer.test.ts')
    expect(consumer.code, consumer.output).toBe(0)
  }, 60_000)

  afterAll(async () => {
    if (work) await rm(work, { recursive: true, force: true })
  })

  it('the consumer test wrote the contract', async () => {
    const contract = await readContract(join(work, 'contracts/pdf-worker--pdf-api.json'))
    expect(contract.expectations.map((e) => [e.description, e.channel, e.providerStates])).toEqual([
      ['a PDF generation request', 'pdf.requested', [{ name: 'an invoice exists', params: { invoiceId: '42' } }]],
    ])
  })

  it('the provider verifies it with contractTests, and a pending failure does not fail the run', async () => {
    const run = await runFixture('provider.test.ts', 'provider-pending.test.ts')
    expect(run.code, run.output).toBe(0)
    expect(results(run.report, 'provider.test.ts')).toEqual([
      expect.objectContaining({ fullName: 'provider pdf-api pdf-worker a PDF generation request', status: 'passed' }),
    ])
    expect(results(run.report, 'provider-pending.test.ts')).toEqual([
      expect.objectContaining({ fullName: 'provider pdf-api pdf-worker (pending) a PDF generation request', status: 'skipped' }),
    ])
  }, 60_000)

  it('a broken producer fails the run, with the pointer of the field it renamed; so does a provider with no contract', async () => {
    const run = await runFixture('provider-broken.test.ts', 'provider-typo.test.ts')
    expect(run.code).toBe(1)
    expect(results(run.report, 'provider-typo.test.ts')).toEqual([
      expect.objectContaining({
        fullName: 'provider pdf-apl has contracts to verify',
        status: 'failed',
        failureMessages: [expect.stringContaining('no contract with expectations is addressed to pdf-apl (found contracts for: pdf-api)')],
      }),
    ])
    const [result] = results(run.report, 'provider-broken.test.ts')
    expect(result?.status).toBe('failed')
    const message = result?.failureMessages.join('\n') ?? ''
    expect(message).toContain('✗ pdf-worker → pdf-api › a PDF generation request (pdf.requested): 1 mismatch')
    expect(message).toContain('payload/items/0/qty\n    missing   required property `qty`')
  }, 60_000)

  it('a contracts directory that does not exist fails the file naming it, with the hint vitest would not print', async () => {
    const run = await runFixture('provider-no-dir.test.ts')
    expect(run.code).toBe(1)
    const [file] = run.report.testResults.filter((r) => r.name.endsWith('/provider-no-dir.test.ts'))
    expect(file?.message).toContain('contract: cannot read contracts directory (ENOENT)')
    expect(file?.message).toContain('hint: run the consumer tests first, or point to the directory they write contracts into')
  }, 60_000)
})
