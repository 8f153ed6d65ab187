// Static producer verification of a producer module with 50 message types: `npm run bench:static`
// (builds first). Target: < 3 s for the whole check, ts-morph project load included.
//
// A generated provider project (50 event interfaces over shared imported types, a generic wrapper,
// Dates, unions, optional fields, records; producers in one `satisfies Producers` map, half with
// declared return types, half inferred) is checked against 50 matching expectations. Two medians:
// - cold: a fresh `node` process per run (import @treaty/core/analysis + ts-morph, load, derive,
//   check), which is what `treaty verify --static` costs in CI;
// - warm: in one process, a new project per run (load + derive + check), ts-morph already imported.
import { spawnSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { availableParallelism, tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'

const root = join(dirname(fileURLToPath(import.meta.url)), '../..')
const analysisUrl = pathToFileURL(join(root, 'packages/core/dist/analysis/index.js')).href
const PRODUCERS = 50
const COLD_RUNS = Number(process.env.COLD_RUNS ?? 5)
const WARM_RUNS = Number(process.env.WARM_RUNS ?? 7)
const TARGET_MS = 3000

function writeProvider() {
  const dir = mkdtempSync(join(tmpdir(), 'treaty-bench-static-'))
  mkdirSync(join(dir, 'src'))
  const providerTypes = join(root, 'packages/core/dist/provider/types.js').replaceAll('\\', '/')
  writeFileSync(
    join(dir, 'tsconfig.json'),
    JSON.stringify({
      compilerOptions: { strict: true, target: 'ES2022', module: 'ESNext', moduleResolution: 'Bundler', skipLibCheck: true, noEmit: true },
      include: ['src'],
    }),
  )
  writeFileSync(
    join(dir, 'src/shared.ts'),
    `export type Currency = 'EUR' | 'USD' | 'GBP'
export interface Address { street: string; city: string; country: string; postcode?: string }
export interface Line { sku: string; qty: number; unitPrice: number; tags: readonly string[] }
export type Versioned<T> = T & { version: 1; emittedAt: Date }
`,
  )
  let events = `import type { Address, Currency, Line, Versioned } from './shared.js'\n`
  for (let i = 0; i < PRODUCERS; i++) {
    events += `
export interface Event${i} {
  eventId: string
  occurredAt: Date
  tenant: string
  status: 'created' | 'paid' | 'cancelled' | 'status${i}'
  amount: number
  currency?: Currency
  lines: Line[]
  meta: Record<string, string>
  field${i}: ${i % 2 === 0 ? 'number' : 'string | null'}
  customer: { id: string; tier: 'free' | 'pro'; address?: Address }
  position: [number, number]
}
export declare function makeEvent${i}(tenant: string): Versioned<Event${i}>
`
  }
  writeFileSync(join(dir, 'src/events.ts'), events)
  const names = Array.from({ length: PRODUCERS }, (_, i) => [`Event${i}`, `makeEvent${i}`]).flat()
  let producers = `import type { Producers } from '${providerTypes}'
import type { Versioned } from './shared.js'
import { ${names.join(', ')} } from './events.js'

export const producers = {
`
  for (let i = 0; i < PRODUCERS; i++) {
    producers +=
      i % 2 === 0
        ? `  'events.${i}': async ({ params }): Promise<{ payload: Versioned<Event${i}>; headers: { 'correlation-id': string } }> => ({ payload: makeEvent${i}(String(params.tenant)), headers: { 'correlation-id': 'c' } }),\n`
        : `  'events.${i}': ({ params }) => ({ payload: makeEvent${i}(String(params.tenant)) }),\n`
  }
  writeFileSync(join(dir, 'src/producers.ts'), `${producers}} satisfies Producers\n`)
  return dir
}

/** What consumer `pdf-worker` reads of event `i`: a subset of what the provider sends, as a consumer test would record it. */
function readerSchema(i) {
  return {
    type: 'object',
    required: ['eventId', 'occurredAt', 'status', 'lines', `field${i}`, 'customer'],
    properties: {
      eventId: { type: 'string' },
      occurredAt: { type: 'string', format: 'date-time' },
      status: { enum: ['created', 'paid', 'cancelled', `status${i}`] },
      amount: { type: 'number' },
      currency: { enum: ['EUR', 'USD', 'GBP'] },
      lines: {
        type: 'array',
        items: { type: 'object', required: ['sku', 'qty'], properties: { sku: { type: 'string' }, qty: { type: 'number' } } },
      },
      [`field${i}`]: i % 2 === 0 ? { type: 'number' } : { type: ['string', 'null'] },
      customer: { type: 'object', required: ['id'], properties: { id: { type: 'string' }, tier: { enum: ['free', 'pro'] } } },
      version: { const: 1 },
    },
  }
}

const contracts = [
  {
    treaty: '1',
    consumer: 'bench-worker',
    provider: 'bench-api',
    expectations: Array.from({ length: PRODUCERS }, (_, i) => ({
      description: `event ${i}`,
      channel: `events.${i}`,
      providerStates: [],
      payload: { schema: readerSchema(i), example: null },
    })),
  },
]

/** One full static verification; throws unless all 50 expectations pass. */
async function verifyOnce(analysis, dir) {
  const report = await analysis.verifyStatically({ tsconfig: join(dir, 'tsconfig.json'), provider: 'bench-api', contracts })
  if (!report.success || report.summary.passed !== PRODUCERS) {
    throw new Error(`static verification did not pass:\n${analysis.formatStaticReport(report)}`)
  }
  return report
}

const median = (times) => [...times].sort((a, b) => a - b)[Math.floor(times.length / 2)]
const ms = (n) => `${Math.round(n).toLocaleString('en-US')} ms`

if (process.argv[2] === '--once') {
  // Child of a cold run: everything from a fresh process.
  const analysis = await import(analysisUrl)
  await verifyOnce(analysis, process.argv[3])
} else {
  const dir = writeProvider()
  try {
    console.log(
      `static bench: ${PRODUCERS} producers / message types, ${PRODUCERS} expectations, node ${process.version}, ${availableParallelism()} CPUs`,
    )
    const cold = []
    for (let r = 0; r < COLD_RUNS; r++) {
      const started = performance.now()
      const child = spawnSync(process.execPath, [fileURLToPath(import.meta.url), '--once', dir], { encoding: 'utf8' })
      if (child.status !== 0) throw new Error(`cold run failed:\n${child.stderr}${child.stdout}`)
      cold.push(performance.now() - started)
    }
    let started = performance.now()
    const analysis = await import(analysisUrl)
    const importMs = performance.now() - started
    const warm = []
    for (let r = 0; r < WARM_RUNS; r++) {
      started = performance.now()
      await verifyOnce(analysis, dir)
      warm.push(performance.now() - started)
    }
    // Where the warm time goes, from one more run.
    started = performance.now()
    const project = analysis.loadProject({ tsconfig: join(dir, 'tsconfig.json') })
    const loadMs = performance.now() - started
    started = performance.now()
    analysis.extractProducers({ project })
    const extractMs = performance.now() - started
    started = performance.now()
    await analysis.verifyStatically({ project, provider: 'bench-api', contracts })
    const checkMs = performance.now() - started

    const rows = [
      [`cold: a new node process per run, median of ${COLD_RUNS}`, median(cold), `(target < ${ms(TARGET_MS)})`],
      [`warm: a new project per run, median of ${WARM_RUNS}`, median(warm), ''],
      ['  import @treaty/core/analysis (ts-morph), once', importMs, ''],
      ['  load the project (parse)', loadMs, ''],
      ['  find producers, derive schemas (type check)', extractMs, ''],
      ['  verify 50 expectations on that project', checkMs, '(derive again + compat)'],
    ]
    for (const [label, time, note] of rows) console.log(`  ${label.padEnd(50)} ${ms(time).padStart(9)}  ${note}`.trimEnd())
    process.exitCode = median(cold) < TARGET_MS ? 0 : 1
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}
