// Provider verification from contract files on disk, with provider states, against pact-js 17.1.4's
// MessageProviderPact on the same messages, in one run (`npm run bench:verify` runs it after the
// in-memory bench; `node bench/verify/from-disk.mjs` alone).
//
// N = 500 expectations (one per interaction), each with a provider state that has params, over 100
// distinct payload schemas. Treaty: verifyContracts({ contracts: dir, states, producers }) — reading,
// parsing and validating the contract file are inside the timer. pact-js: MessageProviderPact.verify()
// of a V3 message pact with the same 500 messages (type matching on the body) and the same states;
// pact's Rust verifier reads the pact file and calls back into node per interaction (inside the timer).
// Rounds interleaved (each Treaty sample the median of 5 back-to-back rounds); median and spread
// (min-max) per expectation, after a first round per side that is also reported on its own (what one
// `treaty verify` run pays: schemas compiled, code not yet optimised). Excludes process start-up and
// module loading on both sides; nothing is published.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { loadavg, tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { pathToFileURL } from 'node:url'

const root = resolve(import.meta.dirname, '../..')
const { serializeContract, verifyContracts } = await import(pathToFileURL(join(root, 'packages/core/dist/index.js')).href)
const { MessageProviderPact } = await import('@pact-foundation/pact')

const N = Number(process.env.N ?? 500)
const SCHEMAS = 100
const ROUNDS = Number(process.env.DISK_ROUNDS ?? 5)
const TREATY_PER_SLOT = 5

function schemaFor(i) {
  return {
    type: 'object',
    required: ['jobId', 'documentType', 'requestedAt', 'items', `field${i}`],
    properties: {
      jobId: { type: 'string', format: 'uuid' },
      documentType: { enum: ['invoice', 'report', `kind${i}`] },
      requestedAt: { type: 'string', format: 'date-time' },
      options: { type: 'object', properties: { pageSize: { enum: ['A4', 'Letter'] }, landscape: { type: 'boolean' } } },
      items: {
        type: 'array',
        minItems: 1,
        items: { type: 'object', required: ['sku', 'qty'], properties: { sku: { type: 'string' }, qty: { type: 'integer', minimum: 1 } } },
      },
      [`field${i}`]: { type: 'integer', minimum: 0 },
    },
  }
}

function messageFor(i, n) {
  return {
    jobId: `7f0c2a4e-3b1d-4c5e-9f6a-${n.toString(16).padStart(12, '0')}`,
    documentType: 'invoice',
    requestedAt: '2024-01-15T10:30:00.000Z',
    options: { pageSize: 'A4', landscape: n % 2 === 0 },
    items: [{ sku: `A-${n}`, qty: 1 + (n % 5) }],
    [`field${i}`]: n,
  }
}

const dir = mkdtempSync(join(tmpdir(), 'treaty-bench-disk-'))
const messages = new Map()
const expectations = []
const interactions = []
for (let n = 0; n < N; n++) {
  const i = n % SCHEMAS
  const description = `a PDF generation request ${n}`
  const message = messageFor(i, n)
  const state = { name: 'an invoice exists', params: { invoiceId: String(n) } }
  messages.set(description, message)
  expectations.push({ description, channel: 'pdf.requested', providerStates: [state], payload: { schema: schemaFor(i), example: message } })
  interactions.push({
    description,
    providerStates: [state],
    contents: message,
    matchingRules: { body: { $: { combine: 'AND', matchers: [{ match: 'type' }] } } },
    metadata: { contentType: 'application/json' },
  })
}
const contractDir = join(dir, 'contracts')
rmSync(contractDir, { recursive: true, force: true })
await import('node:fs/promises').then((fs) => fs.mkdir(contractDir))
writeFileSync(
  join(contractDir, 'pdf-worker--pdf-api.json'),
  serializeContract({ treaty: '1', consumer: 'pdf-worker', provider: 'pdf-api', expectations }),
)
const pactFile = join(dir, 'pdf-worker-pdf-api.json')
writeFileSync(
  pactFile,
  JSON.stringify({
    consumer: { name: 'pdf-worker' },
    provider: { name: 'pdf-api' },
    messages: interactions,
    metadata: { pactSpecification: { version: '3.0.0' } },
  }),
)

const seenStates = { treaty: 0, pact: 0 }
async function treatyRound() {
  const report = await verifyContracts({
    provider: 'pdf-api',
    contracts: contractDir,
    states: { 'an invoice exists': () => void seenStates.treaty++ },
    producers: { 'pdf.requested': ({ expectation }) => ({ payload: messages.get(expectation.description) }) },
  })
  if (!report.success || report.summary.passed !== N) throw new Error(`treaty: ${JSON.stringify(report.summary)}`)
}

async function pactRound() {
  const messageProviders = {}
  for (const description of messages.keys()) messageProviders[description] = () => messages.get(description)
  await new MessageProviderPact({
    provider: 'pdf-api',
    pactUrls: [pactFile],
    logLevel: 'error',
    messageProviders,
    stateHandlers: { 'an invoice exists': async () => void seenStates.pact++ },
  }).verify()
}

const time = async (fn) => {
  const start = process.hrtime.bigint()
  await fn()
  return Number(process.hrtime.bigint() - start) / 1e6
}
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b)
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2
}
const stat = (xs, unit = 1, digits = 1) =>
  `${(median(xs) * unit).toFixed(digits)} (${(Math.min(...xs) * unit).toFixed(digits)}-${(Math.max(...xs) * unit).toFixed(digits)})`

try {
  // The first round of each side is what a single `treaty verify` run pays: every distinct schema
  // checked and compiled, nothing JIT-compiled yet. Reported on its own; the rounds after it are warm.
  const first = { treaty: (await time(treatyRound)) / N, pact: (await time(pactRound)) / N }
  const treaty = []
  const pact = []
  for (let r = 0; r < ROUNDS; r++) {
    // A Treaty round lasts ~1/100 of a pact-js round, so one scheduler hiccup on a shared machine is its
    // whole sample: each slot takes the median of TREATY_PER_SLOT rounds, run right before pact-js's.
    const slot = []
    for (let k = 0; k < TREATY_PER_SLOT; k++) slot.push((await time(treatyRound)) / N)
    treaty.push(median(slot))
    pact.push((await time(pactRound)) / N)
  }
  if (seenStates.treaty !== N * (ROUNDS * TREATY_PER_SLOT + 1) || seenStates.pact < N * (ROUNDS + 1)) {
    throw new Error(`provider states not set up for every expectation: ${JSON.stringify(seenStates)}`)
  }
  const ratios = treaty.map((t, i) => t / pact[i])
  console.log(
    `from contract files on disk, with provider states: N = ${N}, ${ROUNDS} interleaved rounds (Treaty: median of ${TREATY_PER_SLOT} per round), per expectation, load average ${loadavg()[0].toFixed(1)}`,
  )
  console.log(`  treaty verifyContracts (read + validate + verify)  ${stat(treaty, 1000)} µs`)
  console.log(`  pact-js MessageProviderPact.verify                 ${stat(pact, 1000)} µs`)
  console.log(
    `  ratio treaty / pact-js                             1/${(1 / median(ratios)).toFixed(0)} (spread 1/${(1 / Math.max(...ratios)).toFixed(0)}-1/${(1 / Math.min(...ratios)).toFixed(0)})`,
  )
  console.log(
    `  first round alone (cold: schemas compiled, no JIT) treaty ${(first.treaty * 1000).toFixed(1)} µs, pact-js ${(first.pact * 1000).toFixed(1)} µs: 1/${(first.pact / first.treaty).toFixed(0)}`,
  )
} finally {
  rmSync(dir, { recursive: true, force: true })
}
