import { readFileSync } from 'node:fs'
import { BROKER_OPTIONS } from '@treaty/core/broker-options'
import { describe, expect, it } from 'vitest'

/** The rows of the README's "Configuration" table as `flag|env` pairs (a flag-less row has an empty flag). */
function readmeRows(markdown: string): string[] {
  const section = markdown.split(/^### Configuration$/m)[1]?.split(/^#{2,3} /m)[0] ?? ''
  const rows: string[] = []
  for (const line of section.split('\n')) {
    const cells = line.split('|').map((c) => c.trim())
    // | flag | environment | default | meaning |: skip the header and the separator row.
    if (cells.length < 5 || !/^`[A-Z_]+`$/.test(cells[2] ?? '')) continue
    rows.push(`${cells[1]?.replace(/`--(.+)`/, '$1') ?? ''}|${cells[2]?.replaceAll('`', '')}`)
  }
  return rows
}

describe('the broker README configuration table', () => {
  const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8')

  it('lists exactly the options the broker parses, each flag with its variable', () => {
    const declared = BROKER_OPTIONS.map((o) => `${o.flag ?? ''}|${o.env}`)
    expect(readmeRows(readme).sort()).toEqual(declared.sort())
  })

  it('fails on a row the broker does not know', () => {
    const extra = readme.replace('| `--port`', '| `--colour` | `TREATY_COLOUR` | | |\n| `--port`')
    expect(readmeRows(extra)).toContain('colour|TREATY_COLOUR')
    expect(readmeRows(extra).length).toBe(BROKER_OPTIONS.length + 1)
  })
})
