import { describe, expect, it } from 'vitest'
import { ExitCode } from '../exit-codes.js'
import { junitCases, mismatchLines, verifyOutcome } from './verify-outcome.js'

const summary = (total: number, failed = 0, pending = 0) => ({ provider: 'pdf-api', summary: { total, failed, pending } })

describe('verifyOutcome: the one exit rule of treaty verify', () => {
  it('passes when every non-pending expectation passed, from the broker or a directory', () => {
    for (const source of ['broker', 'directory'] as const) {
      expect(verifyOutcome(summary(3), { source })).toEqual({ exitCode: ExitCode.OK, none: false, notices: [] })
    }
  })

  it('fails when an expectation failed, whatever the source or --fail-if-none', () => {
    for (const source of ['broker', 'directory'] as const) {
      for (const failIfNone of [undefined, true, false]) {
        expect(verifyOutcome(summary(3, 1), { source, failIfNone }).exitCode).toBe(ExitCode.FAILED)
      }
    }
  })

  it('failures of pending contracts only warn', () => {
    const outcome = verifyOutcome(summary(3, 0, 2), { source: 'broker', branch: 'main' })
    expect(outcome.exitCode).toBe(ExitCode.OK)
    expect(outcome.notices).toEqual([
      { level: 'warning', text: 'warning: 2 expectation(s) of pending contracts failed; they do not fail the build' },
    ])
  })

  it('says so when pending was decided without a provider branch, naming --branch', () => {
    const outcome = verifyOutcome(summary(3, 0, 2), { source: 'broker', branch: undefined })
    expect(outcome.exitCode).toBe(ExitCode.OK)
    expect(outcome.notices[0]?.text).toBe(
      'warning: 2 expectation(s) of pending contracts failed; they do not fail the build (no provider branch was found: pass --branch, or run on a checked-out branch, so that a success on it ends pending)',
    )
    expect(verifyOutcome(summary(3, 0, 2), { source: 'broker', branch: 'main' }).notices[0]?.text).not.toContain('--branch')
  })

  it('no contract from the broker is a warning (nobody consumes the provider yet), unless --fail-if-none', () => {
    const normal = verifyOutcome(summary(0), { source: 'broker' })
    expect(normal).toEqual({
      exitCode: ExitCode.OK,
      none: true,
      notices: [{ level: 'warning', text: 'no contracts to verify for pdf-api' }],
    })
    const strict = verifyOutcome(summary(0), { source: 'broker', failIfNone: true })
    expect(strict.exitCode).toBe(ExitCode.FAILED)
    expect(strict.notices[0]?.level).toBe('error')
  })

  it('no contract in a directory always fails (a typo, most likely) and names the providers it found instead', () => {
    const outcome = verifyOutcome(
      { ...summary(0), ignored: [{ provider: 'billing' }, { provider: 'billing' }, { provider: 'orders' }] },
      { source: 'directory', failIfNone: false },
    )
    expect(outcome).toEqual({
      exitCode: ExitCode.FAILED,
      none: true,
      notices: [{ level: 'error', text: 'no contracts to verify for pdf-api (contracts found for: billing, orders)' }],
    })
  })
})

describe('junitCases', () => {
  it('one case per expectation: failures fail, pending ones are skipped', () => {
    const expectation = (description: string, status: 'passed' | 'failed' | 'pending', messages: string[] = []) => ({
      description,
      status,
      durationMs: 1500,
      mismatches: messages.map((message) => ({ message })),
    })
    const cases = junitCases(
      {
        contracts: [
          {
            consumer: 'pdf-worker',
            provider: 'pdf-api',
            expectations: [expectation('a', 'passed'), expectation('b', 'failed', ['x', 'y']), expectation('c', 'pending', ['z'])],
          },
        ],
      },
      mismatchLines,
    )
    expect(cases).toEqual([
      { suite: 'pdf-worker → pdf-api', name: 'a', timeSeconds: 1.5 },
      { suite: 'pdf-worker → pdf-api', name: 'b', timeSeconds: 1.5, failure: 'x\ny' },
      { suite: 'pdf-worker → pdf-api', name: 'c', timeSeconds: 1.5, skipped: 'pending: z' },
    ])
  })
})
