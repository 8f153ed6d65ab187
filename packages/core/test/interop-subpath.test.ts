// `@treaty/core/interop` is its own subpath, loaded only by the commands that use it: importing
// `@treaty/core` never reaches it, the AsyncAPI parser (an optional peer) or the older drafts' ajv classes.
import { readFile } from 'node:fs/promises'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { staticGraph } from './import-graph.js'

const pkg = resolve(dirname(fileURLToPath(import.meta.url)), '..')

describe('@treaty/core/interop', () => {
  it('is exported with the same conditions as the main entry', async () => {
    const { exports } = JSON.parse(await readFile(join(pkg, 'package.json'), 'utf8'))
    expect(exports['./interop']).toEqual({
      source: './src/interop/index.ts',
      types: './dist/interop/index.d.ts',
      default: './dist/interop/index.js',
    })
  })

  it('importing @treaty/core loads neither the interop folder, the AsyncAPI parser nor the older drafts', async () => {
    const main = await staticGraph(join(pkg, 'src/index.ts'))
    expect(main.files.size).toBeGreaterThan(5)
    expect([...main.files].filter((f) => f.includes('/src/interop/'))).toEqual([])
    expect([...main.bare].filter((s) => s.startsWith('@asyncapi/') || s === 'ajv-draft-04' || s === 'ajv/dist/2019.js')).toEqual([])
  })

  it('the interop entry loads the AsyncAPI parser only when a document is read', async () => {
    const interop = await staticGraph(join(pkg, 'src/interop/index.ts'))
    expect([...interop.bare].filter((s) => s.startsWith('@asyncapi/'))).toEqual([])
  })
})
