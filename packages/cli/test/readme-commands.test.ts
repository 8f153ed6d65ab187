/** The README's command table names every command of the CLI's `commands` table, so the two cannot drift again. */
import { readFile } from 'node:fs/promises'
import { describe, expect, it } from 'vitest'
import { commands } from '../src/cli.js'

const readme = new URL('../../../README.md', import.meta.url)

/** The first word of each command in the README table's first column (`| \`treaty verify --service …\` |` → verify). */
async function documented(): Promise<Set<string>> {
  const text = await readFile(readme, 'utf8')
  const start = text.indexOf('## The `treaty` command line')
  const section = text.slice(start, text.indexOf('\n## ', start + 1))
  const names = new Set<string>()
  for (const line of section.split('\n')) {
    if (!line.startsWith('| `treaty ')) continue
    const firstColumn = line.split(' | ')[0]!
    for (const m of firstColumn.matchAll(/`treaty ([a-z-]+)/g)) names.add(m[1]!)
  }
  return names
}

describe('README command table', () => {
  it('has a row for every command treaty runs', async () => {
    const names = commands.map((c) => String(c.command).split(' ')[0]!)
    expect(names.length).toBeGreaterThan(10)
    const rows = await documented()
    expect(names.filter((n) => !rows.has(n))).toEqual([])
  })
})
