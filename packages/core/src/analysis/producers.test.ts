import { fileURLToPath } from 'node:url'
import type { Project } from 'ts-morph'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ErrorCodes } from '../errors.js'
import { type FixtureProject, writeFixtureProject } from './__fixtures__/fixture-project.js'
import { type Extraction, extractProducers } from './extract.js'
import { loadProject } from './project.js'
import type { DerivedProducer } from './types.js'

// The real `Producers` type, so `satisfies Producers` types the producers as a provider's would be typed.
const PROVIDER_TYPES = fileURLToPath(new URL('../provider/types.js', import.meta.url)).replaceAll('\\', '/')
const NO_HEADERS = { type: 'object', additionalProperties: false }

const FILES: Record<string, string> = {
  'tsconfig.json': JSON.stringify({
    compilerOptions: { strict: true, target: 'ES2022', module: 'ESNext', moduleResolution: 'Bundler', skipLibCheck: true, noEmit: true },
    include: ['src'],
  }),
  'src/types.ts': `
export interface PdfRendered { id: string; url: string; pages: number }
`,
  'src/builders.ts': `
import type { PdfRendered } from './types.js'
export async function buildRendered(): Promise<{ payload: PdfRendered; headers: { 'content-type': 'application/pdf' } }> {
  return { payload: { id: '1', url: 'u', pages: 1 }, headers: { 'content-type': 'application/pdf' } }
}
export function make<T>(value: T) {
  return { payload: { value } }
}
export function pick<T>(value: T): { payload: T extends string ? { s: T } : { n: number } } {
  return { payload: value as never }
}
`,
  'src/extra.ts': `
export const extra = { 'pdf.deleted': () => ({ payload: { id: 'x', deleted: true as const } }) }
`,
  'src/producers.ts': `
import type { Producers } from '${PROVIDER_TYPES}'
import { buildRendered, make, pick } from './builders.js'
import { extra } from './extra.js'

export const producers = {
  'pdf.requested': async ({ params }) => ({ payload: { id: String(params.id), pages: 3, requestedAt: new Date() } }),
  'pdf.rendered': buildRendered,
  'pdf.failed#timeout'() {
    return { payload: { reason: 'timeout' as const, meta: {} } }
  },
  ...extra,
  'pdf.traced': (): { payload: { ok: boolean }; headers?: { trace: string } } => ({ payload: { ok: true } }),
  'pdf.either': ({ state }) => (state === 'small' ? { payload: { size: 'small' as const } } : { payload: { size: 'large' as const, pages: 9 } }),
  'pdf.generic': make,
  'pdf.conditional': pick,
} satisfies Producers
`,
  'src/annotated.ts': `
import type { Producers } from '${PROVIDER_TYPES}'
const annotated: Producers = { 'by.annotation': () => ({ payload: ['a', 'b'] }) }
export default annotated
`,
  'src/map.ts': `
export const pdfMap = { 'by.option': () => ({ payload: [1, 2] }) }
export const makeMap = (prefix: string) => {
  const helper = () => ({ 'not.this': 1 })
  return { 'by.call': () => ({ payload: { prefix, at: helper } }) }
}
`,
  'src/factory.ts': `
import type { Producers } from '${PROVIDER_TYPES}'
export function makeProducers(db: { url: string }): Producers {
  return { 'by.factory': async () => ({ payload: { url: db.url } }) }
}
`,
  'src/verify.ts': `
import { makeMap, pdfMap } from './map.js'
declare function verifyContracts(options: { provider: string; producers: object }): void
verifyContracts({ provider: 'pdf-api', producers: pdfMap })
verifyContracts({ provider: 'pdf-api', producers: makeMap('x') })
const unrelated = { 'not.a.producer': () => ({ payload: 1 }) }
const config = { producers: { 'nested.option': () => ({ payload: 1 }) } }
export { unrelated, config }
`,
  'src/invalid.ts': `
export const producers = {
  'not.a.function': 42,
  'no.payload': () => ({ body: 'x' }),
  'maybe.payload': () => ({ payload: Math.random() > 0.5 ? 'x' : undefined }),
}
`,
  'loose/tsconfig.json': JSON.stringify({ compilerOptions: { strict: false }, include: ['*.ts'] }),
  'loose/producers.ts': `export const producers = { 'a': () => ({ payload: { name: 'x' } }) }`,
  'none/tsconfig.json': JSON.stringify({ compilerOptions: { strict: true }, include: ['*.ts'] }),
  'none/other.ts': `export const handlers = { 'a': () => ({ payload: 1 }) }`,
}

let fixture: FixtureProject
let project: Project
let all: Extraction

beforeAll(() => {
  fixture = writeFixtureProject(FILES)
  project = loadProject({ tsconfig: fixture.path('tsconfig.json') })
  all = extractProducers({ project })
})
afterAll(() => fixture?.remove())

function producer(key: string): DerivedProducer {
  const found = all.producers.find((p) => p.key === key)
  if (!found) throw new Error(`no producer ${key}; found ${all.producers.map((p) => p.key).join(', ')}`)
  return found
}

describe('finding producers', () => {
  it('finds maps named producers, typed as Producers (or returned as Producers), and passed as the producers option, and nothing else', () => {
    expect(all.producers.map((p) => p.key).sort()).toEqual(
      [
        'by.annotation',
        'by.call',
        'by.factory',
        'by.option',
        'maybe.payload',
        'no.payload',
        'not.a.function',
        'pdf.conditional',
        'pdf.deleted',
        'pdf.either',
        'pdf.failed#timeout',
        'pdf.generic',
        'pdf.rendered',
        'pdf.requested',
        'pdf.traced',
      ].sort(),
    )
  })

  it('locates each producer at its entry in the map (a spread entry at its own declaration)', () => {
    expect(producer('pdf.rendered').location).toEqual({
      file: fixture.path('src/producers.ts'),
      line: fixture.lineOf('src/producers.ts', "'pdf.rendered'"),
      column: 3,
    })
    expect(producer('pdf.deleted').location).toMatchObject({ file: fixture.path('src/extra.ts'), line: 2 })
  })

  it('searches only producerFiles when given', () => {
    const some = extractProducers({ project, producerFiles: [fixture.path('src/annotated.ts')] })
    expect(some.producers.map((p) => p.key)).toEqual(['by.annotation'])
  })

  it('throws TREATY_ANALYSIS_NO_PRODUCERS when no map is found', () => {
    expect(() => extractProducers({ tsconfig: fixture.path('none/tsconfig.json') })).toThrow(
      expect.objectContaining({ code: ErrorCodes.ANALYSIS_NO_PRODUCERS }),
    )
  })

  it('refuses a project without strictNullChecks, a missing file, and no project at all', () => {
    const config = expect.objectContaining({ code: ErrorCodes.ANALYSIS_CONFIG_INVALID })
    expect(() => loadProject({ tsconfig: fixture.path('loose/tsconfig.json') })).toThrow(config)
    expect(() => loadProject({ files: [fixture.path('src/missing.ts')] })).toThrow(config)
    expect(() => loadProject({})).toThrow(config)
  })
})

describe('what a producer emits', () => {
  it('derives the payload of an inferred return type, Promise unwrapped; without headers it sends none', () => {
    const p = producer('pdf.requested')
    expect(p.diagnostics).toEqual([])
    expect(p.payload).toEqual({
      type: 'object',
      properties: { id: { type: 'string' }, pages: { type: 'number' }, requestedAt: { type: 'string', format: 'date-time' } },
      required: ['id', 'pages', 'requestedAt'],
    })
    expect(p.headers).toEqual(NO_HEADERS)
  })

  it('derives payload and headers of a declared return type, through an imported function', () => {
    const p = producer('pdf.rendered')
    expect(p.diagnostics).toEqual([])
    expect(p.payload).toMatchObject({ required: ['id', 'url', 'pages'] })
    expect(p.headers).toEqual({
      type: 'object',
      properties: { 'content-type': { const: 'application/pdf' } },
      required: ['content-type'],
    })
  })

  it('reads methods and spread entries; an empty object literal is any object', () => {
    expect(producer('pdf.failed#timeout').diagnostics).toEqual([])
    expect(producer('pdf.failed#timeout').payload).toEqual({
      type: 'object',
      properties: { reason: { const: 'timeout' }, meta: { type: 'object' } },
      required: ['reason', 'meta'],
    })
    expect(producer('pdf.deleted').payload).toMatchObject({ properties: { deleted: { const: true } } })
    expect(producer('by.annotation').payload).toEqual({ type: 'array', items: { type: 'string' } })
    expect(producer('by.option').payload).toEqual({ type: 'array', items: { type: 'number' } })
    expect(producer('by.factory').payload).toEqual({ type: 'object', properties: { url: { type: 'string' } }, required: ['url'] })
    expect(producer('by.call').diagnostics).toEqual([
      expect.objectContaining({ path: 'payload.at', message: expect.stringMatching(/function/) }),
    ])
  })

  it('allows no headers when headers are optional', () => {
    expect(producer('pdf.traced').headers).toEqual({
      anyOf: [{ type: 'object', properties: { trace: { type: 'string' } }, required: ['trace'] }, NO_HEADERS],
    })
  })

  it('joins the shapes of a producer that returns several into anyOf', () => {
    // TypeScript normalises the literals' union: the small shape gets `pages?: undefined`, which is never sent.
    expect(producer('pdf.either').payload).toEqual({
      anyOf: [
        { type: 'object', properties: { size: { const: 'small' }, pages: false }, required: ['size'] },
        { type: 'object', properties: { size: { const: 'large' }, pages: { type: 'number' } }, required: ['size', 'pages'] },
      ],
    })
  })

  it('reports type parameters and conditional types that do not resolve', () => {
    expect(producer('pdf.generic').diagnostics).toEqual([
      expect.objectContaining({
        code: ErrorCodes.ANALYSIS_CANNOT_DERIVE,
        producer: 'pdf.generic',
        part: 'payload',
        path: 'payload.value',
        file: fixture.path('src/builders.ts'),
        line: fixture.lineOf('src/builders.ts', 'return { payload: { value } }'),
        message: expect.stringMatching(/`T`.*does not resolve/),
      }),
    ])
    expect(producer('pdf.conditional').diagnostics).toEqual([
      expect.objectContaining({ path: 'payload', message: expect.stringMatching(/extends string.*does not resolve/) }),
    ])
  })

  it('reports entries that are not producers, and a payload that may be undefined, at the entry', () => {
    const at = (key: string) => ({ file: fixture.path('src/invalid.ts'), line: fixture.lineOf('src/invalid.ts', `'${key}'`) })
    expect(producer('not.a.function').diagnostics).toEqual([
      expect.objectContaining({
        code: ErrorCodes.ANALYSIS_PRODUCER_INVALID,
        ...at('not.a.function'),
        message: expect.stringMatching(/not a function/),
      }),
    ])
    expect(producer('no.payload').diagnostics).toEqual([
      expect.objectContaining({
        code: ErrorCodes.ANALYSIS_PRODUCER_INVALID,
        ...at('no.payload'),
        message: expect.stringMatching(/not \{ payload/),
      }),
    ])
    expect(producer('maybe.payload').diagnostics).toEqual([
      expect.objectContaining({
        code: ErrorCodes.ANALYSIS_CANNOT_DERIVE,
        ...at('maybe.payload'),
        message: expect.stringMatching(/may be undefined/),
      }),
    ])
  })
})
