import { mkdir, mkdtemp, readFile, symlink, writeFile } from 'node:fs/promises'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { treaty } from './treaty.js'

const contract = {
  treaty: '1',
  consumer: 'pdf-worker',
  provider: 'pdf-api',
  expectations: [
    {
      description: 'a PDF generation request',
      channel: 'pdf.requested',
      providerStates: [{ name: 'an invoice exists', params: { invoiceId: '42' } }],
      payload: {
        schema: {
          type: 'object',
          required: ['jobId', 'items'],
          properties: {
            jobId: { type: 'string' },
            items: {
              type: 'array',
              minItems: 1,
              items: { type: 'object', required: ['qty'], properties: { qty: { type: 'integer', minimum: 1 } } },
            },
          },
        },
        example: { jobId: 'j-1', items: [{ qty: 1 }] },
      },
    },
  ],
}

/** A provider project: contracts/ plus a TypeScript producers module (loaded through jiti). */
async function providerProject(qty: number): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'treaty-verify-'))
  await mkdir(join(dir, 'contracts'))
  await writeFile(join(dir, 'contracts/pdf-worker--pdf-api.json'), JSON.stringify(contract))
  await writeFile(
    join(dir, 'producers.ts'),
    `interface Params { invoiceId?: string }
const seeded: string[] = []
export const states = { 'an invoice exists': (params: Params) => { seeded.push(String(params.invoiceId)) } }
export const producers = {
  'pdf.requested': async ({ params }: { params: Params }) => ({ payload: { jobId: 'job-' + params.invoiceId + '-' + seeded.join(','), items: [{ qty: ${qty} }] } }),
}
`,
  )
  return dir
}

describe('treaty verify against local contract files', () => {
  it('passes (exit 0) when the producer satisfies the contract', async () => {
    const dir = await providerProject(2)
    const r = await treaty(['verify', '--service', 'pdf-api', '--producers', 'producers.ts', '--contracts', 'contracts'], { cwd: dir })
    expect(r.code, r.stderr).toBe(0)
    expect(r.stdout).toContain('a PDF generation request')
  })

  it('fails (exit 1) naming the JSON pointer, and writes JUnit and JSON reports', async () => {
    const dir = await providerProject(0)
    const r = await treaty(
      ['verify', '--service', 'pdf-api', '--producers', 'producers.ts', '--contracts', 'contracts', '--junit', 'junit.xml'],
      { cwd: dir },
    )
    expect(r.code).toBe(1)
    expect(r.stdout).toContain('/items/0/qty')
    const xml = await readFile(join(dir, 'junit.xml'), 'utf8')
    expect(xml).toContain('<testsuite name="pdf-worker → pdf-api" tests="1" failures="1"')
    expect(xml).toContain('<failure message=')
    const json = await treaty(['verify', '--service', 'pdf-api', '--producers', 'producers.ts', '--contracts', 'contracts', '--json'], {
      cwd: dir,
    })
    const parsed = JSON.parse(json.stdout)
    expect(parsed.report.summary).toMatchObject({ total: 1, failed: 1 })
    expect(parsed.report.contracts[0].expectations[0].mismatches[0]).toMatchObject({ part: 'payload', pointer: '/items/0/qty' })
  })

  it('writes --junit into a directory that does not exist yet, as CI report paths often are', async () => {
    const dir = await providerProject(2)
    const r = await treaty(
      ['verify', '--service', 'pdf-api', '--producers', 'producers.ts', '--contracts', 'contracts', '--junit', 'reports/treaty.xml'],
      { cwd: dir },
    )
    expect(r.code, r.stderr).toBe(0)
    expect(r.stdout).toContain('a PDF generation request')
    expect(await readFile(join(dir, 'reports/treaty.xml'), 'utf8')).toContain(
      '<testsuite name="pdf-worker → pdf-api" tests="1" failures="0"',
    )
  })

  it('exits 2 naming --junit when its file cannot be written, after printing the report', async () => {
    const dir = await providerProject(2)
    await mkdir(join(dir, 'taken.xml'))
    const r = await treaty(
      ['verify', '--service', 'pdf-api', '--producers', 'producers.ts', '--contracts', 'contracts', '--junit', 'taken.xml'],
      { cwd: dir },
    )
    expect(r.code, r.stderr).toBe(2)
    expect(r.stdout).toContain('a PDF generation request')
    expect(r.stderr).toContain('error: cannot write the --junit report to taken.xml (EISDIR)')
  })

  it('exits 2 when the producers module is missing, naming it', async () => {
    const dir = await providerProject(1)
    const r = await treaty(['verify', '--service', 'pdf-api', '--producers', 'nope.ts', '--contracts', 'contracts'], { cwd: dir })
    expect(r.code).toBe(2)
    expect(r.stderr).toContain('error: producers module nope.ts not found')
  })

  it('exits 2 when the states module of treaty.config is missing, naming the states entry', async () => {
    const dir = await providerProject(1)
    await writeFile(
      join(dir, 'treaty.config.ts'),
      "export default { service: 'pdf-api', producers: './producers.ts', states: './states.ts' }\n",
    )
    const r = await treaty(['verify', '--contracts', 'contracts'], { cwd: dir })
    expect(r.code).toBe(2)
    expect(r.stderr).toContain('error: states module ./states.ts not found')
    expect(r.stderr).toContain('hint: check --states or the "states" entry of treaty.config')
  })

  it('takes the provider states from --states, over the producers module’s and treaty.config’s', async () => {
    const dir = await providerProject(2)
    await writeFile(
      join(dir, 'states.ts'),
      "export const states = { 'an invoice exists': () => { throw new Error('set up by --states') } }\n",
    )
    await writeFile(
      join(dir, 'treaty.config.ts'),
      "export default { service: 'pdf-api', producers: './producers.ts', states: './nope.ts' }\n",
    )
    const args = ['verify', '--contracts', 'contracts', '--states']
    const r = await treaty([...args, 'states.ts'], { cwd: dir })
    expect(r.code, r.stderr).toBe(1)
    expect(r.stdout).toContain('set up by --states')
    const missing = await treaty([...args, 'gone.ts'], { cwd: dir })
    expect(missing.code).toBe(2)
    expect(missing.stderr).toContain('error: states module gone.ts not found')
  })

  it('reads a --states module’s `states` or default export, and names what it exports when it has neither', async () => {
    const dir = await providerProject(2)
    const args = ['verify', '--service', 'pdf-api', '--producers', 'producers.ts', '--contracts', 'contracts', '--states']
    /** `treaty verify --states <file>` with `source` as the states module. */
    const withStates = async (file: string, source: string) => {
      await writeFile(join(dir, file), `${source}\n`)
      return treaty([...args, file], { cwd: dir })
    }
    const byDefault = await withStates(
      'default.ts',
      "export default { 'an invoice exists': () => { throw new Error('set up by the default export') } }",
    )
    expect(byDefault.code, byDefault.stderr).toBe(1)
    expect(byDefault.stdout).toContain('set up by the default export')
    // A misnamed export was taken as the states map itself: "states[\"stateHandlers\"] must be a setup function".
    const misnamed = await withStates('misnamed.ts', "export const stateHandlers = { 'an invoice exists': () => {} }")
    expect(misnamed.code).toBe(2)
    expect(misnamed.stderr).toContain('error: the states module misnamed.ts exports no `states` (it exports `stateHandlers`)')
    expect(misnamed.stderr).toContain("hint: export const states = { 'an invoice exists': async (params) => seed(params) }")
    // An export named `states` that is not a map is named as what it is, not as missing.
    const fn = await withStates('fn.ts', 'export const states = () => {}')
    expect(fn.code).toBe(2)
    expect(fn.stderr).toContain('error: the states module fn.ts exports `states` as function, not an object of states by name')
    // A default export's state may be called "states": it is one state among others, not the map.
    const named = await withStates(
      'named-states.ts',
      "export default { states: () => {}, 'an invoice exists': () => { throw new Error('the map, states and all') } }",
    )
    expect(named.code, named.stderr).toBe(1)
    expect(named.stdout).toContain('the map, states and all')
  })

  it('takes the producers module and service from treaty.config.ts', async () => {
    const dir = await providerProject(3)
    await writeFile(join(dir, 'treaty.config.ts'), "export default { service: 'pdf-api', producers: './producers.ts' }\n")
    const r = await treaty(['verify', '--contracts', 'contracts'], { cwd: dir })
    expect(r.code, r.stderr).toBe(0)
  })
})

describe('treaty verify --static', () => {
  const typed = {
    treaty: '1',
    consumer: 'pdf-api',
    provider: 'pdf-worker',
    expectations: [
      {
        description: 'a PDF was generated',
        channel: 'pdf.generated',
        providerStates: [],
        payload: {
          schema: {
            type: 'object',
            required: ['jobId', 'pages', 'sha256'],
            properties: { jobId: { type: 'string' }, pages: { type: 'number' }, sha256: { type: 'string' } },
          },
          example: { jobId: 'j', pages: 1, sha256: 'ab' },
        },
      },
    ],
  }

  async function staticProject(field: string): Promise<string> {
    const dir = await mkdtemp(join(tmpdir(), 'treaty-static-'))
    await mkdir(join(dir, 'contracts'))
    await writeFile(join(dir, 'contracts/pdf-api--pdf-worker.json'), JSON.stringify(typed))
    await writeFile(
      join(dir, 'events.ts'),
      `export interface PdfGenerated { jobId: string; pages: number; ${field}: string; bytes?: number }\nexport function buildPdfGenerated(jobId: string): PdfGenerated { return { jobId, pages: 1, ${field}: 'x' } }\n`,
    )
    await writeFile(
      join(dir, 'producers.ts'),
      "import { buildPdfGenerated } from './events.js'\nexport const producers = { 'pdf.generated': () => ({ payload: buildPdfGenerated('j-1') }) }\n",
    )
    return dir
  }

  it("passes when the producer's types satisfy the contract, without running the producer", async () => {
    const dir = await staticProject('sha256')
    const r = await treaty(['verify', '--static', '--service', 'pdf-worker', '--producers', 'producers.ts', '--contracts', 'contracts'], {
      cwd: dir,
    })
    expect(r.code, r.stdout + r.stderr).toBe(0)
  })

  it("reads the types of Node's modules from the project's @types/node without a tsconfig", async () => {
    const dir = await staticProject('sha256')
    // A provider project with @types/node installed, as one whose code imports node:crypto has.
    await mkdir(join(dir, 'node_modules/@types'), { recursive: true })
    await symlink(dirname(createRequire(import.meta.url).resolve('@types/node/package.json')), join(dir, 'node_modules/@types/node'))
    await writeFile(
      join(dir, 'events.ts'),
      "import { randomUUID } from 'node:crypto'\nexport function buildPdfGenerated(_: string) { return { jobId: randomUUID(), pages: 1, sha256: 'x' } }\n",
    )
    const r = await treaty(['verify', '--static', '--service', 'pdf-worker', '--producers', 'producers.ts', '--contracts', 'contracts'], {
      cwd: dir,
    })
    expect(r.stdout).not.toContain('does not type-check')
    expect(r.code, r.stdout + r.stderr).toBe(0)
  })

  it('writes --junit too, one testcase per expectation with its differences', async () => {
    const dir = await staticProject('checksum')
    const args = ['verify', '--static', '--service', 'pdf-worker', '--producers', 'producers.ts', '--contracts', 'contracts']
    const r = await treaty([...args, '--junit', 'reports/static.xml'], { cwd: dir })
    expect(r.code, r.stdout + r.stderr).toBe(1)
    const xml = await readFile(join(dir, 'reports/static.xml'), 'utf8')
    expect(xml).toContain('<testsuite name="pdf-api → pdf-worker" tests="1" failures="1"')
    expect(xml).toContain('payload/sha256')
  })

  it('fails naming the field when the type renames it, with the producer location', async () => {
    const dir = await staticProject('checksum')
    const r = await treaty(
      ['verify', '--static', '--service', 'pdf-worker', '--producers', 'producers.ts', '--contracts', 'contracts', '--json'],
      { cwd: dir },
    )
    expect(r.code).toBe(1)
    const report = JSON.parse(r.stdout)
    const result = report.contracts[0].expectations[0]
    expect(result.status).toBe('failed')
    expect(result.differences.map((d: { pointer: string }) => d.pointer)).toContain('/sha256')
    expect(result.producer.file).toContain('producers.ts')
  })
})

describe('treaty verify --publish checks what publishing needs before it verifies', () => {
  // Outside a git repository and without CI variables there is no version to publish as. A replay would print
  // its report; the analysis would stop at the missing tsconfig: either shows the check came too late.
  const cases = [
    ['replay', [], 'pass --app-version to publish results'],
    ['--static', ['--static', '--tsconfig', 'missing-tsconfig.json'], 'pass --app-version to publish the provider schema'],
  ] as const
  for (const [mode, flags, hint] of cases) {
    it(`${mode}: exits 2 naming --app-version, before any producer runs or is analysed`, async () => {
      const dir = await providerProject(2)
      const args = ['verify', ...flags, '--service', 'pdf-api', '--producers', 'producers.ts', '--contracts', 'contracts', '--publish']
      const r = await treaty([...args, '--broker-url', 'http://127.0.0.1:9'], { cwd: dir })
      expect(r.code, r.stdout + r.stderr).toBe(2)
      expect(r.stderr).toContain('error: --app-version is required')
      expect(r.stderr).toContain(`hint: ${hint}`)
      expect(r.stdout).toBe('')
    })

    it(`${mode}: exits 2 naming the broker URL when none is configured, before verifying`, async () => {
      const dir = await providerProject(2)
      const args = ['verify', ...flags, '--service', 'pdf-api', '--producers', 'producers.ts', '--contracts', 'contracts', '--publish']
      const r = await treaty([...args, '--app-version', '1.0.0'], { cwd: dir })
      expect(r.code, r.stdout + r.stderr).toBe(2)
      expect(r.stderr).toContain('error: no broker URL configured')
      expect(r.stdout).toBe('')
    })
  }
})

describe('treaty verify with nothing to verify', () => {
  it('fails (exit 1) for a directory with no contract for the service, naming the providers it found', async () => {
    const dir = await providerProject(2)
    const r = await treaty(['verify', '--service', 'pdf-apii', '--producers', 'producers.ts', '--contracts', 'contracts'], { cwd: dir })
    expect(r.code).toBe(1)
    expect(r.stderr).toContain('no contracts to verify for pdf-apii (contracts found for: pdf-api)')
  })
})
