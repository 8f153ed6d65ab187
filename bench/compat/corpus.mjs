/**
 * Agreement of the compatibility engine with Treaty's own corpus of schema pairs
 * (packages/core/src/schema/compat/__fixtures__/draft-corpus.json): how many verdicts agree, how
 * many pairs are wrongly called compatible (must be 0), how many error out. Point it at another
 * build of @treaty/core to compare (e.g. the main branch built in a temp dir):
 *
 *   node bench/compat/corpus.mjs [path/to/core/dist/index.js]
 */
import { readFileSync } from 'node:fs'
import { pathToFileURL } from 'node:url'

const corpusUrl = new URL('../../packages/core/src/schema/compat/__fixtures__/draft-corpus.json', import.meta.url)
const core = process.argv[2] ? pathToFileURL(process.argv[2]).href : '../../packages/core/dist/index.js'
const { checkCompatibility } = await import(core)
const { cases } = JSON.parse(readFileSync(corpusUrl, 'utf8'))

const tally = { cases: cases.length, agree: 0, falseCompatible: 0, falseIncompatible: 0, errors: 0 }
const misses = []
for (const c of cases) {
  let verdict
  try {
    verdict = checkCompatibility(c.writer, c.reader).compatible
  } catch (err) {
    tally.errors++
    misses.push(`error   ${c.name}: ${err.code ?? err.message}`)
    continue
  }
  if (verdict === c.compatible) tally.agree++
  else if (verdict) {
    tally.falseCompatible++
    misses.push(`FALSE COMPATIBLE ${c.name}`)
  } else {
    tally.falseIncompatible++
    misses.push(`too strict ${c.name}`)
  }
}
console.log(JSON.stringify({ ...tally, agreement: `${((tally.agree / tally.cases) * 100).toFixed(1)} %` }))
for (const m of misses) console.log(`  ${m}`)
