import { fileURLToPath } from 'node:url'
import type { Project } from 'ts-morph'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Contract, Expectation } from '../contract/types.js'
import { compile, datetime, integer, like, oneOf, optional, string } from '../schema/matchers.js'
import { type FixtureProject, writeFixtureProject } from './__fixtures__/fixture-project.js'
import { producersFor, verifyStatically } from './check.js'
import { loadProject } from './project.js'
import { formatStaticReport } from './report.js'
import type { DerivedProducer, StaticExpectationResult, StaticReport } from './types.js'

const PROVIDER_TYPES = fileURLToPath(new URL('../provider/types.js', import.meta.url)).replaceAll('\\', '/')

const PRODUCERS = `
import type { Producers } from '${PROVIDER_TYPES}'

export interface PdfRequested {
  id: string
  pages: number
  requestedAt: Date
  priority?: 'low' | 'high'
}

export const producers = {
  'pdf.requested': async ({ params }): Promise<{ payload: PdfRequested; headers: { 'correlation-id': string } }> => ({
    payload: { id: String(params.id), pages: 2, requestedAt: new Date() },
    headers: { 'correlation-id': 'c-1' },
  }),
  'pdf.renamed': () => ({ payload: { documentId: 'd-1', pages: 1 } }),
  'pdf.callback': () => ({ payload: { id: 'd-1', done: () => true } }),
} satisfies Producers
`

function expectation(description: string, channel: string, template: unknown, headers?: unknown): Expectation {
  const e: Expectation = { description, channel, providerStates: [], payload: compile(template) }
  if (headers !== undefined) e.headers = compile(headers)
  return e
}

const requested = { id: string('d-1'), pages: like(2), requestedAt: datetime(), priority: optional(oneOf(['low', 'high'])) }

const worker: Contract = {
  treaty: '1',
  consumer: 'pdf-worker',
  provider: 'pdf-api',
  expectations: [
    expectation('a pdf is requested', 'pdf.requested', requested, { 'correlation-id': string('c-1') }),
    expectation('a renamed pdf', 'pdf.renamed', { id: string('d-1'), pages: like(1) }),
    expectation('a pdf nobody sends', 'pdf.missing', { id: string('d-1') }),
    expectation('a pdf with a callback', 'pdf.callback', { id: string('d-1') }),
    expectation('whole pages', 'pdf.requested', { pages: integer(2) }),
    expectation('a traced pdf', 'pdf.renamed', { pages: like(1) }, { 'trace-id': string('t-1') }),
  ],
}
const other: Contract = { treaty: '1', consumer: 'mailer', provider: 'billing', expectations: [worker.expectations[0]!] }

let fixture: FixtureProject
let project: Project
let report: StaticReport

beforeAll(async () => {
  fixture = writeFixtureProject({ 'producers.ts': PRODUCERS })
  project = loadProject({ files: [fixture.path('producers.ts')] })
  report = await verifyStatically({ project, provider: 'pdf-api', contracts: [worker, other] })
})
afterAll(() => fixture?.remove())

function result(description: string): StaticExpectationResult {
  const found = report.contracts.flatMap((c) => c.expectations).find((e) => e.description === description)
  if (!found) throw new Error(`no result for ${description}`)
  return found
}

describe('verifyStatically', () => {
  it('passes an expectation that every message the producer type allows satisfies, headers included', () => {
    expect(result('a pdf is requested')).toEqual({
      description: 'a pdf is requested',
      channel: 'pdf.requested',
      status: 'passed',
      producer: {
        key: 'pdf.requested',
        file: fixture.path('producers.ts'),
        line: fixture.lineOf('producers.ts', "'pdf.requested'"),
        column: 3,
      },
      differences: [],
      diagnostics: [],
    })
  })

  it('fails a producer whose field was renamed, naming the field and the producer', () => {
    const r = result('a renamed pdf')
    expect(r.status).toBe('failed')
    expect(r.producer).toMatchObject({ key: 'pdf.renamed', line: fixture.lineOf('producers.ts', "'pdf.renamed'") })
    // One root cause: the engine finds `id` both missing and (objects being open) of any type; the report
    // says what happened, naming the field the producer sends instead.
    expect(r.differences).toEqual([
      { part: 'payload', pointer: '/id', kind: 'REQUIRED_PROPERTY_ADDED', message: '`id` renamed or removed; producer sends `documentId`' },
    ])
  })

  it('fails an expectation no producer is registered for', () => {
    expect(result('a pdf nobody sends')).toMatchObject({
      status: 'failed',
      differences: [{ kind: 'NO_PRODUCER', message: expect.stringContaining('pdf.callback, pdf.renamed, pdf.requested') }],
    })
    expect(result('a pdf nobody sends').producer).toBeUndefined()
  })

  it('fails an expectation whose producer has types that do not translate, with the diagnostic', () => {
    const r = result('a pdf with a callback')
    expect(r.status).toBe('failed')
    expect(r.differences).toEqual([])
    expect(r.diagnostics).toEqual([
      expect.objectContaining({
        code: 'TREATY_ANALYSIS_CANNOT_DERIVE',
        path: 'payload.done',
        line: fixture.lineOf('producers.ts', 'done: () => true'),
      }),
    ])
  })

  it('does not prove what the types do not say: a number is not known to be whole', () => {
    expect(result('whole pages')).toMatchObject({ status: 'failed', differences: [{ pointer: '/pages', kind: 'TYPE_NARROWED' }] })
  })

  it('fails a header the producer never sends', () => {
    expect(result('a traced pdf')).toMatchObject({
      status: 'failed',
      differences: [{ part: 'headers', pointer: '/trace-id', kind: 'REQUIRED_PROPERTY_ADDED' }],
    })
  })

  it('skips contracts for other providers, counts, and fails the run', () => {
    expect(report.ignored).toEqual([{ consumer: 'mailer', provider: 'billing' }])
    expect(report.summary).toEqual({ total: 6, passed: 1, failed: 5, pending: 0 })
    expect(report.success).toBe(false)
    expect(report.producers.map((p) => p.key)).toEqual(['pdf.requested', 'pdf.renamed', 'pdf.callback'])
  })

  it('reports failures of a pending contract as pending, which do not fail the run', async () => {
    const pending = { ...worker, expectations: [worker.expectations[0]!, worker.expectations[1]!] }
    const r = await verifyStatically({ project, provider: 'pdf-api', contracts: [{ contract: pending, pending: true }] })
    expect(r.contracts[0]!.expectations.map((e) => e.status)).toEqual(['passed', 'pending'])
    expect(r.success).toBe(true)
  })

  it('with exactObjects, trusts that no property beyond the declared ones is sent', async () => {
    const withNote = {
      ...worker,
      expectations: [expectation('a pdf with a note', 'pdf.renamed', { pages: like(1), note: optional(string('n')) })],
    }
    const open = await verifyStatically({ project, provider: 'pdf-api', contracts: [withNote] })
    expect(open.contracts[0]!.expectations[0]!.differences).toEqual([expect.objectContaining({ pointer: '/note' })])
    const exact = await verifyStatically({ project, provider: 'pdf-api', contracts: [withNote], exactObjects: true })
    expect(exact.success).toBe(true)
  })

  it('formats the report with the producer file:line and each reason', () => {
    const text = formatStaticReport(report, { cwd: fixture.dir })
    const line = fixture.lineOf('producers.ts', "'pdf.renamed'")
    expect(text).toContain(`✗ pdf-worker → pdf-api › a renamed pdf (pdf.renamed) ← producer pdf.renamed (producers.ts:${line}:3)`)
    expect(text).toContain('payload/id REQUIRED_PROPERTY_ADDED')
    expect(text).toContain(`producers.ts:${fixture.lineOf('producers.ts', 'done: () => true')}:`)
    expect(text).toContain('static: 1 passed, 5 failed (6 expectations)')
  })
})

describe('producersFor', () => {
  const p = (key: string) => ({ key }) as DerivedProducer
  const byKey = new Map([
    ['pdf', [p('pdf')]],
    ['pdf#done', [p('pdf#done')]],
    ['the done one', [p('the done one'), p('the done one')]],
  ])
  const e = (description: string, messageName?: string): Expectation => ({
    description,
    channel: 'pdf',
    ...(messageName ? { messageName } : {}),
    providerStates: [],
    payload: { schema: true, example: null },
  })

  it('picks the description, then channel#messageName, then the channel, as the verifier does', () => {
    expect(producersFor(e('the done one', 'done'), byKey)).toHaveLength(2)
    expect(producersFor(e('other', 'done'), byKey).map((x) => x.key)).toEqual(['pdf#done'])
    expect(producersFor(e('other', 'failed'), byKey).map((x) => x.key)).toEqual(['pdf'])
    expect(producersFor({ ...e('x'), channel: 'nope' }, byKey)).toEqual([])
  })
})
