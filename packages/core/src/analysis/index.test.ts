import { readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'

const SRC = dirname(dirname(fileURLToPath(import.meta.url)))

/** Every source file `entry` reaches through relative imports and re-exports (type-only ones included). */
function reachable(entry: string): Map<string, string[]> {
  const seen = new Map<string, string[]>()
  const visit = (file: string) => {
    if (seen.has(file)) return
    const text = readFileSync(file, 'utf8')
    const specifiers = [...text.matchAll(/(?:import|export)\s[^'"]*?from\s+'([^']+)'|import\('([^']+)'\)/g)].map((m) => (m[1] ?? m[2])!)
    seen.set(file, specifiers)
    for (const s of specifiers) if (s.startsWith('.')) visit(join(dirname(file), s.replace(/\.js$/, '.ts')))
  }
  visit(entry)
  return seen
}

describe('@treaty/core/analysis', () => {
  it('is the only way in to ts-morph: importing @treaty/core never loads it', () => {
    const fromCore = reachable(join(SRC, 'index.ts'))
    expect(fromCore.size).toBeGreaterThan(10)
    const loaders = [...fromCore].filter(([, specifiers]) => specifiers.some((s) => s === 'ts-morph' || s.includes('/analysis/')))
    expect(loaders.map(([file]) => file)).toEqual([])
    // The check itself would find the import if it were there.
    expect([...reachable(join(SRC, 'analysis/index.ts')).values()].flat()).toContain('ts-morph')
  })
})
