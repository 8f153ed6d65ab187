/** The static import graph of a source entry, for tests that keep heavy dependencies off an entry point. */
import { readFile } from 'node:fs/promises'
import { dirname, resolve } from 'node:path'

/** Every module `entry` loads through static imports (relative ones followed), with the bare specifiers they name. */
export async function staticGraph(entry: string): Promise<{ files: Set<string>; bare: Set<string> }> {
  const files = new Set<string>()
  const bare = new Set<string>()
  const queue = [entry]
  while (queue.length > 0) {
    const file = queue.pop()!
    if (files.has(file)) continue
    files.add(file)
    const source = await readFile(file, 'utf8')
    // `import … from 'x'` and `export … from 'x'`, not `import('x')` (loaded only when called) nor
    // `import type` (erased).
    for (const [, spec] of source.matchAll(/^\s*(?:import|export)\s(?!type\s)(?:[^'"]*?from\s+)?['"]([^'"]+)['"]/gm)) {
      if (spec!.startsWith('.')) queue.push(resolve(dirname(file), spec!.replace(/\.js$/, '.ts')))
      else bare.add(spec!)
    }
  }
  return { files, bare }
}
