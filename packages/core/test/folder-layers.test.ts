// @treaty/core's folders depend one way: json/ at the bottom, contract/ and schema/ on it, the rest above.
// A cycle between two folders (contract/read-write → schema/engine → contract/canonical, as it once was)
// means neither can be read, tested or moved without the other. Type-only imports count too: a folder
// that needs another's types sits above it.
import { readdir } from 'node:fs/promises'
import { dirname, join, relative, resolve, sep } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { importsOf, staticGraph } from './import-graph.js'

const src = resolve(dirname(fileURLToPath(import.meta.url)), '../src')

/** A folder of src/ (`schema`), or the file itself for a file at the top (`errors.ts`, `index.ts`). */
function unitOf(file: string): string {
  return relative(src, file).split(sep)[0]!
}

/** unit → unit → the files whose imports make that edge. */
async function folderGraph(): Promise<Map<string, Map<string, string[]>>> {
  const graph = new Map<string, Map<string, string[]>>()
  const files = (await readdir(src, { recursive: true }))
    .filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts') && !f.split(sep).includes('__fixtures__'))
    .map((f) => join(src, f))
  for (const file of files) {
    const from = unitOf(file)
    for (const edge of await importsOf(file)) {
      if (!edge.file) continue
      const to = unitOf(edge.file)
      if (to === from) continue
      const out = graph.get(from) ?? new Map<string, string[]>()
      graph.set(from, out)
      out.set(to, [...(out.get(to) ?? []), relative(src, file)])
    }
  }
  return graph
}

/** Every cycle as its path of units (`a → b → a`), each found once from its smallest unit. */
function cycles(graph: Map<string, Map<string, string[]>>): string[] {
  const found: string[] = []
  const walk = (start: string, at: string, path: string[]) => {
    for (const next of graph.get(at)?.keys() ?? []) {
      if (next === start) found.push([...path, start].join(' → '))
      else if (next > start && !path.includes(next)) walk(start, next, [...path, next])
    }
  }
  for (const start of graph.keys()) walk(start, start, [start])
  return found
}

describe("@treaty/core's folders", () => {
  it('import each other without a cycle', async () => {
    const graph = await folderGraph()
    expect(graph.size).toBeGreaterThan(8)
    expect(cycles(graph)).toEqual([])
  })

  it('finds a cycle when there is one (the check can fail)', () => {
    const graph = new Map([
      ['contract', new Map([['schema', ['contract/read-write.ts']]])],
      ['schema', new Map([['contract', ['schema/engine.ts']]])],
    ])
    expect(cycles(graph)).toEqual(['contract → schema → contract'])
  })

  it('keep json/ at the bottom: it imports no other part of @treaty/core', async () => {
    const graph = await folderGraph()
    expect(Object.fromEntries(graph.get('json') ?? [])).toEqual({})
    for (const folder of ['contract', 'schema']) expect(graph.get(folder)?.has('json'), folder).toBe(true)
  })

  it('make @treaty/core/json a light subpath: it loads no third-party module', async () => {
    const json = await staticGraph(join(src, 'json/index.ts'))
    expect([...json.bare].filter((s) => !s.startsWith('node:'))).toEqual([])
  })
})
