/** The verification report: counts and success as data, and the text a person reads in CI. */
import { formatMismatch } from './mismatch.js'
import type { ContractResult, ExpectationResult, VerificationReport } from './types.js'

/** Mismatches shown per expectation in text; the data keeps all of them. */
const SHOWN_MISMATCHES = 20

export function buildReport(
  provider: string,
  contracts: ContractResult[],
  ignored: VerificationReport['ignored'],
  durationMs: number,
): VerificationReport {
  const summary = { total: 0, passed: 0, failed: 0, pending: 0 }
  for (const c of contracts) {
    for (const e of c.expectations) {
      summary.total++
      summary[e.status]++
    }
  }
  return {
    provider,
    // Verifying nothing proves nothing: a typo in `provider` must not turn a build green.
    success: summary.failed === 0 && summary.total > 0,
    durationMs: Math.round(durationMs * 1000) / 1000,
    contracts,
    ignored,
    summary,
  }
}

type ContractLabel = Pick<ContractResult, 'consumer' | 'provider' | 'pending' | 'consumerVersion' | 'consumerBranch'>

function contractName(c: ContractLabel): string {
  // The consumer's version and branch tell apart two contracts of one consumer (main and the deployed one).
  const version = c.consumerVersion === undefined ? '' : ` ${c.consumerVersion}`
  const branch = c.consumerBranch === undefined ? '' : ` (${c.consumerBranch})`
  return `${c.consumer}${version}${branch} → ${c.provider}${c.pending ? ' (pending)' : ''}`
}

function expectationName(e: ExpectationResult): string {
  return `${e.description} (${e.channel}${e.messageName === undefined ? '' : `#${e.messageName}`})`
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 'es'}`
}

/**
 * One expectation's failure as a block of text: a heading that names contract, expectation and
 * channel, then each mismatch with where it is, what was expected and what was found.
 */
export function formatExpectationResult(contract: ContractLabel, result: ExpectationResult): string {
  const mark = result.status === 'passed' ? '✓' : result.status === 'pending' ? '!' : '✗'
  const head = `${mark} ${contractName(contract)} › ${expectationName(result)}`
  if (result.mismatches.length === 0) return head
  const lines = [`${head}: ${plural(result.mismatches.length, 'mismatch')}`]
  if (result.status === 'pending') lines.push('  (the contract is pending: this does not fail the run)')
  for (const m of result.mismatches.slice(0, SHOWN_MISMATCHES)) lines.push('', formatMismatch(m))
  if (result.mismatches.length > SHOWN_MISMATCHES) lines.push('', `  … and ${result.mismatches.length - SHOWN_MISMATCHES} more`)
  return lines.join('\n')
}

/** The whole report as text: one line per expectation, then every failure in detail, then the verdict. */
export function formatReport(report: VerificationReport): string {
  const { summary } = report
  const out: string[] = [
    `Verifying ${report.provider} against ${report.contracts.length} contract${report.contracts.length === 1 ? '' : 's'}`,
  ]
  if (report.ignored.length > 0) {
    const others = [...new Set(report.ignored.map((i) => i.provider))].sort().join(', ')
    out.push(`(skipped ${report.ignored.length} addressed to other providers: ${others})`)
  }
  const failures: string[] = []
  for (const c of report.contracts) {
    out.push('', contractName(c))
    if (c.expectations.length === 0) out.push('  (no expectations)')
    for (const e of c.expectations) {
      const mark = e.status === 'passed' ? '✓' : e.status === 'pending' ? '!' : '✗'
      const note = e.status === 'pending' ? '  failed, but pending' : ''
      out.push(`  ${mark} ${expectationName(e)}  ${formatMs(e.durationMs)}${note}`)
      if (e.status !== 'passed') failures.push(formatExpectationResult(c, e))
    }
  }
  if (failures.length > 0) out.push('', '', failures.join('\n\n'))
  out.push('')
  if (summary.total === 0) {
    out.push(`no expectations verified: no contract is addressed to ${report.provider}`)
    out.push('check `provider`, and that the consumer tests wrote their contracts where `contracts` points')
  } else {
    const counts = [`${summary.passed} passed`, `${summary.failed} failed`]
    if (summary.pending > 0) counts.push(`${summary.pending} pending`)
    out.push(`${counts.join(', ')} · ${formatMs(report.durationMs)}`)
  }
  out.push(report.success ? 'verification passed' : 'verification failed')
  return `${out.join('\n')}\n`
}

function formatMs(ms: number): string {
  return ms < 10 ? `${ms.toFixed(1)} ms` : `${Math.round(ms)} ms`
}
