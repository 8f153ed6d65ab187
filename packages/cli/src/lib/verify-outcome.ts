/**
 * What `treaty verify` concludes from a verification, replayed or static: the exit code (one rule for both)
 * and the notices to print. A function of data, so the gate's rule is tested without a broker or a process.
 *
 * The rule: exit 1 when a non-pending expectation failed, or when nothing was verified and that cannot be
 * right — contracts read from a directory (a typo in the path, most likely) or `--fail-if-none`. From the
 * broker, no contract is normal for a provider nobody consumes yet: a warning, exit 0. Failures of pending
 * contracts only warn.
 */
import { ExitCode } from '../exit-codes.js'
import type { JunitCase } from '../output.js'

export interface VerifySummary {
  provider: string
  summary: { total: number; failed: number; pending: number }
  /** Contracts addressed to other providers, named in the hint when none was for this one. */
  ignored?: readonly { provider: string }[]
}

export interface VerifyPolicy {
  /** Where the contracts came from. */
  source: 'broker' | 'directory'
  failIfNone?: boolean | undefined
  /** The provider branch pending was decided for, if any. */
  branch?: string | undefined
}

export interface Notice {
  level: 'error' | 'warning'
  text: string
}

export interface VerifyOutcome {
  exitCode: ExitCode
  /** True when no contract was verified (the report has nothing to show). */
  none: boolean
  /** To print on stderr, in this order. */
  notices: Notice[]
}

export function verifyOutcome(report: VerifySummary, policy: VerifyPolicy): VerifyOutcome {
  const none = report.summary.total === 0
  const noneFails = none && (Boolean(policy.failIfNone) || policy.source === 'directory')
  const notices: Notice[] = []
  if (none) {
    const known = [...new Set((report.ignored ?? []).map((c) => c.provider))]
    const hint = known.length ? ` (contracts found for: ${known.join(', ')})` : ''
    notices.push({ level: noneFails ? 'error' : 'warning', text: `no contracts to verify for ${report.provider}${hint}` })
  }
  if (report.summary.pending > 0) {
    // Without a branch only main's successes and those of earlier runs without a branch end pending.
    const branchless = policy.source === 'broker' && policy.branch === undefined
    notices.push({
      level: 'warning',
      text: `warning: ${report.summary.pending} expectation(s) of pending contracts failed; they do not fail the build${branchless ? ' (no provider branch was found: pass --branch, or run on a checked-out branch, so that a success on it ends pending)' : ''}`,
    })
  }
  return { exitCode: report.summary.failed > 0 || noneFails ? ExitCode.FAILED : ExitCode.OK, none, notices }
}

/** What `--junit` needs of an expectation, replayed or static. */
interface JunitExpectation {
  description: string
  status: 'passed' | 'failed' | 'pending'
  /** Absent for a static check, which times the whole run only. */
  durationMs?: number
}

/**
 * `--junit`: one testcase per expectation, one suite per contract; pending failures are skipped, not failed.
 * `problems` are an expectation's failure lines: a replay's mismatches, a static check's differences.
 */
export function junitCases<E extends JunitExpectation>(
  report: { contracts: readonly { consumer: string; provider: string; expectations: readonly E[] }[] },
  problems: (e: E) => string[],
): JunitCase[] {
  return report.contracts.flatMap((c) =>
    c.expectations.map((e) => ({
      suite: `${c.consumer} → ${c.provider}`,
      name: e.description,
      timeSeconds: (e.durationMs ?? 0) / 1000,
      ...(e.status === 'failed' ? { failure: problems(e).join('\n') } : {}),
      ...(e.status === 'pending' ? { skipped: `pending: ${problems(e).join('; ')}` } : {}),
    })),
  )
}

/** A replay's failure lines. */
export const mismatchLines = (e: { mismatches: readonly { message: string }[] }): string[] => e.mismatches.map((m) => m.message)
