/** The static import graph of core's sources, for tests that keep heavy dependencies off an entry point and folders layered. */
import { readFile } from 'node:fs/promises'
import { dirname, resolve } from 'node:path'

// `import … from 'x'` and `export … from 'x'`, not `import('x')` (loaded only when called). Group 1 is
// `type ` for a type-only import (erased at run time), group 2 the specifier.
const IMPORT = /^\s*(?:import|export)\s(type\s)?(?:[^'"]*?from\s+)?['"]([^'"]+)['"]/gm

export interface ImportEdge {
  /** The specifier as written: `./engine.js`, `ajv`, `node:fs`. */
  spec: string
  /** The source file a relative specifier names (`.js` read as `.ts`); undefined for a bare one. */
  file: string | undefined
  /** `import type`: erased, never loaded at run time. */
  typeOnly: boolean
}

/** The static imports of one source file. */
export async function importsOf(file: string): Promise<ImportEdge[]> {
  const source = await readFile(file, 'utf8')
  return [...source.matchAll(IMPORT)].map(([, type, spec]) => ({
    spec: spec!,
    file: spec!.startsWith('.') ? resolve(dirname(file), spec!.replace(/\.js$/, '.ts')) : undefined,
    typeOnly: type !== undefined,
  }))
}

/** Every module `entry` loads through static imports (relative ones followed), with the bare specifiers they name. */
export async function staticGraph(entry: string): Promise<{ files: Set<string>; bare: Set<string> }> {
  const files = new Set<string>()
  const bare = new Set<string>()
  const queue = [entry]
  while (queue.length > 0) {
    const file = queue.pop()!
    if (files.has(file)) continue
    files.add(file)
    for (const edge of await importsOf(file)) {
      if (edge.typeOnly) continue
      if (edge.file) queue.push(edge.file)
      else bare.add(edge.spec)
    }
  }
  return { files, bare }
}
