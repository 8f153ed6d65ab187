/** Human output: colour only on a TTY and never with NO_COLOR (see verdict.ts); `--json` output is plain JSON on stdout. */

export interface Printer {
  out(line?: string): void
  err(line?: string): void
  readonly color: boolean
  readonly tty: boolean
}

const codes = { red: 31, green: 32, yellow: 33, dim: 2, bold: 1 } as const
export type Style = keyof typeof codes

export function paint(p: Printer, style: Style, text: string): string {
  return p.color ? `\u001b[${codes[style]}m${text}\u001b[0m` : text
}

/** A plain table: columns padded to the widest cell. */
export function table(rows: string[][]): string[] {
  const widths: number[] = []
  for (const row of rows) {
    row.forEach((cell, i) => {
      widths[i] = Math.max(widths[i] ?? 0, cell.length)
    })
  }
  return rows.map((row) =>
    row
      .map((cell, i) => (i === row.length - 1 ? cell : cell.padEnd(widths[i] ?? 0)))
      .join('  ')
      .trimEnd(),
  )
}

function xmlEscape(text: string): string {
  return text.replace(/[<>&"']/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&apos;' })[c] ?? c)
}

export interface JunitCase {
  suite: string
  name: string
  timeSeconds: number
  /** failure text; undefined when passed */
  failure?: string
  /** reported but not failing (pending) */
  skipped?: string
}

/** JUnit XML: one testsuite per contract, one testcase per expectation. */
export function junitXml(cases: JunitCase[]): string {
  const suites = new Map<string, JunitCase[]>()
  for (const c of cases) suites.set(c.suite, [...(suites.get(c.suite) ?? []), c])
  const lines = ['<?xml version="1.0" encoding="UTF-8"?>']
  const failures = cases.filter((c) => c.failure !== undefined).length
  lines.push(`<testsuites name="treaty" tests="${cases.length}" failures="${failures}">`)
  for (const [suite, list] of suites) {
    const f = list.filter((c) => c.failure !== undefined).length
    const s = list.filter((c) => c.skipped !== undefined).length
    const time = list.reduce((t, c) => t + c.timeSeconds, 0)
    lines.push(`  <testsuite name="${xmlEscape(suite)}" tests="${list.length}" failures="${f}" skipped="${s}" time="${time.toFixed(3)}">`)
    for (const c of list) {
      const open = `    <testcase classname="${xmlEscape(suite)}" name="${xmlEscape(c.name)}" time="${c.timeSeconds.toFixed(3)}"`
      if (c.failure !== undefined) {
        lines.push(
          `${open}>`,
          `      <failure message="${xmlEscape(c.failure.split('\n')[0] ?? '')}">${xmlEscape(c.failure)}</failure>`,
          '    </testcase>',
        )
      } else if (c.skipped !== undefined) {
        lines.push(`${open}>`, `      <skipped message="${xmlEscape(c.skipped)}"/>`, '    </testcase>')
      } else lines.push(`${open}/>`)
    }
    lines.push('  </testsuite>')
  }
  lines.push('</testsuites>')
  return `${lines.join('\n')}\n`
}
