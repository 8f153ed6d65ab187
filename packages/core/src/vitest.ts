/**
 * `@treaty/core/vitest`: a provider's contracts as vitest tests, one test per expectation, named
 * `provider <provider> › <consumer> › <expectation>`. A failing test's error is the mismatch report.
 * Its own subpath so that importing `@treaty/core` never loads vitest.
 */
import { afterAll, describe, test } from 'vitest'
import { ErrorCodes, withHintShown } from './errors.js'
import { loadContracts } from './provider/contracts.js'
import { formatExpectationResult } from './provider/report.js'
import type { ContractSource, ExpectationResult } from './provider/types.js'
import { Verifier, type VerifierOptions } from './provider/verify.js'

export interface ContractTestsOptions extends VerifierOptions {
  /** A directory (read when vitest collects the file), a list of contracts, or a promise of one. */
  contracts: ContractSource
  /** Run the expectations as concurrent tests, bounded by vitest's `maxConcurrency` (default false). */
  concurrent?: boolean
}

/** A failed expectation, thrown from its test; the message is the human report, `result` the data. */
export class ContractVerificationError extends Error {
  readonly code = ErrorCodes.VERIFY_FAILED
  readonly result: ExpectationResult | undefined

  constructor(message: string, result?: ExpectationResult) {
    super(message)
    this.name = 'ContractVerificationError'
    this.result = result
    // The frames would point into the verifier; the message already says where the problem is.
    this.stack = `${this.name}: ${message}`
  }
}

/**
 * Registers one test per expectation of every contract addressed to `options.provider`. Call it at
 * the top level of a test file. Failures of pending contracts skip their test with a note and an
 * annotation instead of failing it. With no contract to verify, one failing test says so.
 */
export function contractTests(options: ContractTestsOptions): void {
  // Built now, so an unusable setup fails the file with its TreatyError before any test runs; vitest prints an
  // error's message, not its hint, so the hint joins the message.
  let verifier: Verifier
  try {
    verifier = new Verifier(options)
  } catch (error) {
    throw withHintShown(error)
  }
  const perCall = options.timeoutMs ?? 10_000
  describe(`provider ${options.provider}`, async () => {
    const plan = verifier.plan(await loadContracts(options.contracts).catch((error: unknown) => Promise.reject(withHintShown(error))))
    if (plan.contracts.every((c) => c.contract.expectations.length === 0)) {
      test('has contracts to verify', () => {
        const found = plan.otherProviders.length > 0 ? ` (found contracts for: ${plan.otherProviders.join(', ')})` : ''
        throw new ContractVerificationError(
          `no contract with expectations is addressed to ${options.provider}${found}\n` +
            '  check `provider`, and run the consumer tests first so they write their contracts where `contracts` points',
        )
      })
      return
    }
    afterAll(() => verifier.noteUnusedProducers())
    for (const planned of plan.contracts) {
      const { contract } = planned
      describe(`${contract.consumer}${planned.pending ? ' (pending)' : ''}`, () => {
        for (const expectation of contract.expectations) {
          // Above the sum of the verifier's own limits (producer; setup, cleanup, teardown per state), so its clearer timeout message wins.
          const timeout = perCall * (3 * (expectation.providerStates?.length ?? 0) + 1) + 5_000
          test(expectation.description, { concurrent: options.concurrent === true, timeout }, async (ctx) => {
            const result = await verifier.verify(planned, expectation)
            if (result.status === 'passed') return
            const text = formatExpectationResult({ ...contract, pending: planned.pending }, result)
            if (result.status === 'pending') {
              await ctx.annotate(text, 'warning')
              const count = result.mismatches.length
              ctx.skip(`pending contract failed (${count} mismatch${count === 1 ? '' : 'es'}): ${result.mismatches[0]?.message}`)
            }
            throw new ContractVerificationError(text, result)
          })
        }
      })
    }
  })
}
