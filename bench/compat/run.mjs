/**
 * Benchmark: the compatibility check of two large message schemas — 1,000 properties over 10
 * levels of nesting with 50 `$ref`s — as a provider schema (writer) against a consumer's
 * (reader) that differs at every leaf. Prints the median over repeated runs, for the same schema
 * objects (caches warm, as in a long-running broker) and for fresh copies each run (as a CLI call).
 *
 *   npm run bench:compat            (builds @treaty/core first)
 *   node bench/compat/run.mjs [runs]
 */
import { checkCompatibility } from '../../packages/core/dist/index.js'

const TARGET_MS = 50
const LEVELS = 10
const PROPERTIES_PER_LEVEL = 100
const DEFS = ['money', 'address', 'party', 'period', 'line', 'tag', 'contact', 'dimensions', 'audit', 'reference']
const REFS_PER_DEF = 5

/**
 * One side of the pair. The reader relaxes every leaf (longer strings, wider ranges, more enum
 * values, null allowed, fewer required properties) so the two documents share no identical
 * subschema and every keyword is compared; with `breakEvery` it tightens one leaf in that many.
 */
function buildSchema(role, breakEvery = 0) {
  const reader = role === 'reader'
  let leafNo = 0
  const tighten = () => breakEvery > 0 && leafNo % breakEvery === 0
  const leaf = (i) => {
    leafNo++
    const broken = reader && tighten()
    switch (i % 8) {
      case 0:
        return { type: 'string', maxLength: broken ? 8 : reader ? 80 : 40, minLength: reader ? 0 : 1 }
      case 1:
        return { type: reader ? 'number' : 'integer', minimum: reader ? -10 : 0, maximum: broken ? 10 : reader ? 2000 : 1000 }
      case 2:
        return { enum: reader ? (broken ? ['a', 'b'] : ['a', 'b', 'c', 'd', 'e']) : ['a', 'b', 'c', 'd'] }
      case 3:
        return { type: reader ? ['boolean', 'null'] : 'boolean' }
      case 4:
        return { type: 'string', format: 'date-time', description: reader ? 'when it happened' : undefined }
      case 5:
        return { type: 'array', items: { type: 'string', maxLength: reader ? 20 : 10 }, maxItems: reader ? 50 : 20 }
      case 6:
        return { type: reader ? ['string', 'null'] : 'string', pattern: '^[A-Z]{3}$' }
      default:
        return {
          type: 'array',
          items: {
            type: 'object',
            properties: { sku: { type: 'string' }, qty: { type: 'integer', minimum: reader ? 0 : 1 }, note: { type: 'string' } },
            required: reader ? ['sku'] : ['sku', 'qty'],
          },
        }
    }
  }
  const $defs = {}
  for (const name of DEFS) {
    $defs[name] = {
      type: 'object',
      properties: {
        id: { type: 'string', maxLength: reader ? 64 : 32 },
        amount: { type: reader ? 'number' : 'integer', minimum: 0 },
        kind: { enum: reader ? ['x', 'y', 'z'] : ['x', 'y'] },
      },
      required: reader ? ['id'] : ['id', 'kind'],
      additionalProperties: !reader ? false : undefined,
    }
  }
  let refsLeft = DEFS.length * REFS_PER_DEF
  const level = (depth) => {
    const properties = {}
    const required = []
    // Each level owns PROPERTIES_PER_LEVEL property slots, counting those of item objects and the
    // `next` property that holds the level below: 10 levels, 1,000 properties in all.
    let slots = PROPERTIES_PER_LEVEL - (depth < LEVELS - 1 ? 1 : 0)
    for (let i = 0; slots > 0; i++) {
      const name = `p${depth}_${i}`
      if (i % 2 === 0 && refsLeft > 0) {
        properties[name] = { $ref: `#/$defs/${DEFS[refsLeft % DEFS.length]}` }
        refsLeft--
        slots--
      } else {
        const kind = i % 8 === 7 && (slots < 4 || depth === LEVELS - 1) ? 0 : i
        properties[name] = leaf(kind)
        slots -= kind % 8 === 7 ? 4 : 1
      }
      if (!reader ? i % 3 === 0 : i % 6 === 0) required.push(name)
    }
    if (depth < LEVELS - 1) {
      properties.next = level(depth + 1)
      required.push('next')
    }
    return { type: 'object', properties, required, additionalProperties: reader }
  }
  return JSON.parse(JSON.stringify({ $schema: 'https://json-schema.org/draft/2020-12/schema', $defs, ...level(0) }))
}

/** Properties (outside `$defs`), levels of nested `properties`, and `$ref`s, as built. */
function countShape(schema) {
  let properties = 0
  let refs = 0
  let levels = 0
  const walk = (s, depth) => {
    if (s === null || typeof s !== 'object') return
    if (typeof s.$ref === 'string') refs++
    if (s.properties) {
      levels = Math.max(levels, depth)
      for (const v of Object.values(s.properties)) {
        properties++
        walk(v, depth + 1)
      }
    }
    if (s.items) walk(s.items, depth)
  }
  walk({ ...schema, $defs: undefined }, 1)
  return { properties, refs, levels }
}

function time(fn) {
  const t0 = process.hrtime.bigint()
  const result = fn()
  return { ms: Number(process.hrtime.bigint() - t0) / 1e6, result }
}

function stats(samples) {
  const sorted = [...samples].sort((a, b) => a - b)
  const at = (q) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]
  return { median: at(0.5), p90: at(0.9), min: sorted[0] }
}

const runs = Number(process.argv[2] ?? 30)
const writer = buildSchema('writer')
const reader = buildSchema('reader')
const tightened = buildSchema('reader', 50)
const shape = countShape(writer)
console.log(
  `bench:compat — writer and reader of ${shape.properties} properties, ${shape.levels} levels, ${shape.refs} $refs (node ${process.version})`,
)

const fmt = (n) => `${n.toFixed(2)} ms`
const report = (label, samples, result) => {
  const s = stats(samples)
  console.log(
    `${label.padEnd(44)} median ${fmt(s.median).padStart(9)}  p90 ${fmt(s.p90).padStart(9)}  min ${fmt(s.min).padStart(9)}  ` +
      `→ ${result.compatible ? 'compatible' : `incompatible (${result.differences.length} differences)`}`,
  )
  return s.median
}

const cold = time(() => checkCompatibility(structuredClone(writer), structuredClone(reader)))
console.log(`${'first call in the process (cold)'.padEnd(44)} ${fmt(cold.ms).padStart(16)}`)

const medians = []
for (const [label, w, r] of [
  ['compatible pair, same objects', writer, reader],
  ['incompatible pair (1 leaf in 50 tightened)', writer, tightened],
]) {
  for (let i = 0; i < 3; i++) checkCompatibility(w, r)
  const samples = []
  let last
  for (let i = 0; i < runs; i++) {
    const t = time(() => checkCompatibility(w, r))
    samples.push(t.ms)
    last = t.result
  }
  medians.push(report(label, samples, last))
}
{
  const samples = []
  let last
  for (let i = 0; i < runs; i++) {
    const w = structuredClone(writer)
    const r = structuredClone(reader)
    const t = time(() => checkCompatibility(w, r))
    samples.push(t.ms)
    last = t.result
  }
  medians.push(report('compatible pair, fresh copies each run', samples, last))
}
const worst = Math.max(...medians)
console.log(`target: median < ${TARGET_MS} ms — ${worst < TARGET_MS ? 'met' : 'NOT met'} (worst median ${fmt(worst)})`)
