// `@treaty/core/vitest` is its own subpath so that a consumer or a script importing `@treaty/core`
// never loads vitest (an optional peer dependency).
import { readFile } from 'node:fs/promises'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { staticGraph } from './import-graph.js'

const pkg = resolve(dirname(fileURLToPath(import.meta.url)), '..')

describe('@treaty/core/vitest', () => {
  it('is exported with the same conditions as the main entry', async () => {
    const { exports } = JSON.parse(await readFile(join(pkg, 'package.json'), 'utf8'))
    expect(exports['./vitest']).toEqual({ source: './src/vitest.ts', types: './dist/vitest.d.ts', default: './dist/vitest.js' })
    expect(Object.keys(exports['./vitest'])).toEqual(Object.keys(exports['.']))
  })

  it('is the only entry that imports vitest: importing @treaty/core never loads it', async () => {
    const main = await staticGraph(join(pkg, 'src/index.ts'))
    expect(main.files.size).toBeGreaterThan(5)
    expect([...main.bare].filter((s) => s === 'vitest' || s.startsWith('vitest/'))).toEqual([])
    expect(main.files.has(join(pkg, 'src/vitest.ts'))).toBe(false)
    const sub = await staticGraph(join(pkg, 'src/vitest.ts'))
    expect(sub.bare.has('vitest')).toBe(true)
  })

  it('loads no third-party module at import: ajv, its format plugin and the rest load on first use', async () => {
    const main = await staticGraph(join(pkg, 'src/index.ts'))
    // But ajv-formats' table of format tests (one file that loads nothing), which the build bundles into
    // core's chunk (scripts/bundle-core.mjs): no ajv, no plugin, no module to find at import.
    expect([...main.bare].filter((s) => !s.startsWith('node:'))).toEqual(['ajv-formats/dist/formats.js'])
  })
})
