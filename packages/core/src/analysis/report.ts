/** The static report as text a person reads in CI: each expectation, its producer's file:line, and why it failed. */
import { relative } from 'node:path'
import type { Diagnostic, SourceLocation, StaticExpectationResult, StaticReport } from './types.js'

export interface FormatOptions {
  /** File paths are shown relative to this directory (default: the working directory). */
  cwd?: string
}

export function formatStaticReport(report: StaticReport, options: FormatOptions = {}): string {
  const cwd = options.cwd ?? process.cwd()
  const where = (l: SourceLocation) => `${relative(cwd, l.file).replaceAll('\\', '/')}:${l.line}:${l.column}`
  const lines: string[] = []
  for (const contract of report.contracts) {
    const name = `${contract.consumer} → ${contract.provider}${contract.pending ? ' (pending)' : ''}`
    for (const e of contract.expectations) lines.push(...formatExpectation(name, e, where))
  }
  const unused = report.producers.filter((p) => p.diagnostics.length > 0 && !usedKeys(report).has(p.key))
  for (const p of unused) {
    lines.push(`! producer ${p.key} (${where(p.location)}) matched no expectation, and its types do not translate:`)
    for (const d of p.diagnostics) lines.push(`    ${formatDiagnostic(d, where)}`)
  }
  const { total, passed, failed, pending } = report.summary
  lines.push('', `static: ${passed} passed, ${failed} failed${pending > 0 ? `, ${pending} pending` : ''} (${total} expectations)`)
  if (total === 0) lines.push(`no expectation is addressed to ${report.provider}: nothing was verified`)
  return lines.join('\n')
}

function formatExpectation(contract: string, e: StaticExpectationResult, where: (l: SourceLocation) => string): string[] {
  const mark = e.status === 'passed' ? '✓' : e.status === 'pending' ? '!' : '✗'
  const producer = e.producer ? ` ← producer ${e.producer.key} (${where(e.producer)})` : ''
  const lines = [
    `${mark} ${contract} › ${e.description} (${e.channel}${e.messageName === undefined ? '' : `#${e.messageName}`})${producer}`,
  ]
  for (const d of e.differences) lines.push(`    ${d.part}${d.pointer} ${d.kind}: ${d.message}`)
  for (const d of e.diagnostics) lines.push(`    ${formatDiagnostic(d, where)}`)
  return lines
}

export function formatDiagnostic(d: Diagnostic, where: (l: SourceLocation) => string = (l) => `${l.file}:${l.line}:${l.column}`): string {
  return `${where(d)}: ${d.message}`
}

function usedKeys(report: StaticReport): Set<string> {
  return new Set(report.contracts.flatMap((c) => c.expectations.flatMap((e) => (e.producer ? [e.producer.key] : []))))
}
