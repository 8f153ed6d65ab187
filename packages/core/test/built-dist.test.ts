// The published code is dist/, which the build bundles (scripts/bundle-core.mjs): each entry point one file, the code
// entries share in chunks. The other tests run src/ (the `source` condition), so these run the BUILT package, in a
// plain `node` that resolves @treaty/core by its own name as a user's project would: one copy of each class across
// entry points, the schema engine on the ajv bundle (not quietly on ajv's modules), a producer's stack trace
// without the verifier's frames. Needs `npm run build` first (as `npm test` does).
import { execFile } from 'node:child_process'
import { readdirSync, readFileSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { describe, expect, it } from 'vitest'

const core = resolve(dirname(fileURLToPath(import.meta.url)), '..')
const dist = join(core, 'dist')

/** Runs an ES module script with `node` in packages/core; returns what it printed as JSON. */
async function run(script: string): Promise<unknown> {
  const { stdout } = await promisify(execFile)(process.execPath, ['--input-type=module', '-e', script], { cwd: core })
  return JSON.parse(stdout)
}

/** The built entry points (package.json "exports"), as files under dist/. */
function entryFiles(): string[] {
  const { exports } = JSON.parse(readFileSync(join(core, 'package.json'), 'utf8')) as { exports: Record<string, unknown> }
  return Object.values(exports).flatMap((t) => (typeof t === 'object' && t ? [join(core, (t as { default: string }).default)] : []))
}

/** What a built file's static `import` and `export … from` lines name (`./chunks/…`, `node:fs`, a package). */
function importedBy(file: string): string[] {
  return [...readFileSync(file, 'utf8').matchAll(/^\s*(?:import|export)\s(?:[^'"]*?from\s+)?["']([^'"]+)["']/gm)].map((m) => m[1]!)
}

/** Files of dist/ an entry point loads through static imports (relative ones followed). */
function loaded(file: string, seen = new Set<string>()): Set<string> {
  if (seen.has(file)) return seen
  seen.add(file)
  for (const spec of importedBy(file)) if (spec.startsWith('.')) loaded(resolve(dirname(file), spec), seen)
  return seen
}

describe('the built @treaty/core', () => {
  it('bundles each entry point: its code entries share sits in chunks, and TreatyError is defined once', () => {
    expect(readdirSync(join(dist, 'chunks')).some((f) => f.endsWith('.js'))).toBe(true)
    const files = new Set(entryFiles().flatMap((entry) => [...loaded(entry)]))
    const defining = [...files].filter((f) => /\b(?:class TreatyError|TreatyError = class)\b/.test(readFileSync(f, 'utf8')))
    expect(defining).toHaveLength(1)
    expect(defining[0]).toContain(`${join(dist, 'chunks')}`)
  })

  it('ships no JavaScript but the bundle: entry points, their chunks and the vendored ajv (tsc emits declarations only)', () => {
    const entries = new Set(entryFiles())
    const stray = readdirSync(dist, { recursive: true, encoding: 'utf8' })
      .map((f) => join(dist, f))
      .filter((f) => /\.c?js$/.test(f) && !entries.has(f) && !f.startsWith(join(dist, 'chunks')) && !f.startsWith(join(dist, 'vendor')))
    expect(stray).toEqual([])
  })

  it('imports no package at import: the one table it needs from ajv-formats is carried in a chunk', () => {
    const files = [...loaded(join(dist, 'index.js'))]
    const packages = files.flatMap(importedBy).filter((spec) => !spec.startsWith('.') && !spec.startsWith('node:'))
    expect(packages).toEqual([])
    expect(files.some((f) => readFileSync(f, 'utf8').includes('exports.fullFormats ='))).toBe(true)
  })

  it('throws errors that are instances of the class every entry point exports', async () => {
    const result = await run(`
      const core = await import('@treaty/core')
      const client = await import('@treaty/core/client')
      const interop = await import('@treaty/core/interop')
      const caught = (fn) => { try { fn() } catch (e) { return e } }
      const fromClient = caught(() => new client.BrokerClient({ url: 'not a url' }))
      const fromInterop = caught(() => interop.importPact({ consumer: {}, provider: {}, messages: 'nope' }))
      console.log(JSON.stringify({
        sameClass: client.TreatyError === core.TreatyError,
        client: fromClient instanceof core.TreatyError,
        interop: fromInterop instanceof core.TreatyError && fromInterop instanceof client.TreatyError,
        interopCode: fromInterop?.code,
      }))`)
    expect(result).toMatchObject({ sameClass: true, client: true, interop: true, interopCode: expect.stringMatching(/^TREATY_/) })
  })

  it('validates with the ajv bundle from dist/vendor, not ajv’s own modules', async () => {
    const result = await run(`
      import { createRequire } from 'node:module'
      const { validate } = await import('@treaty/core')
      const issues = validate({ type: 'object', required: ['id'], properties: { id: { type: 'string', format: 'uuid' } } }, { id: 'x' })
      const loaded = Object.keys(createRequire(import.meta.url).cache)
      console.log(JSON.stringify({
        issues: issues.length,
        bundle: loaded.filter((f) => f.endsWith('ajv-2020.cjs')),
        ajvModules: loaded.filter((f) => /[\\\\/]node_modules[\\\\/]ajv[\\\\/]dist[\\\\/](2020|core)\\.js$/.test(f)),
      }))`)
    expect(result).toEqual({ issues: 1, bundle: [join(dist, 'vendor/ajv-2020.cjs')], ajvModules: [] })
  })

  it("gives a throwing producer's stack trace with the producer's frames and none of the verifier's", async () => {
    const result = (await run(`
      const { verifyContracts } = await import('@treaty/core')
      function buildPdfRequested() { throw new TypeError('cannot read invoice 42') }
      const contract = { treaty: '1', consumer: 'pdf-worker', provider: 'pdf-api', expectations: [
        { description: 'a', channel: 'pdf.requested', providerStates: [], payload: { schema: { type: 'object' }, example: {} } },
      ] }
      const report = await verifyContracts({ provider: 'pdf-api', contracts: [contract], producers: { 'pdf.requested': () => buildPdfRequested() } })
      console.log(JSON.stringify(report.contracts[0].expectations[0].mismatches[0]))`)) as { kind: string; error: { stack: string } }
    expect(result.kind).toBe('producer-failed')
    const frames = result.error.stack.split('\n').filter((line) => /^\s+at /.test(line))
    expect(frames.join('\n')).toContain('buildPdfRequested')
    expect(frames.filter((line) => line.includes(dist))).toEqual([])
  })
})
