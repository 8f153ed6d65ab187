/**
 * The partial-run rule, as pure functions over plain data (the recorder does the I/O).
 *
 * A test file owns a fragment of each contract it declares expectations for. A run of a file is
 * *complete* when every test in it ran and passed (no name filter, `.only`, `.skip` or `.todo`, no
 * failure); otherwise it is *partial*.
 * - A partial run adds and updates the expectations it proved and keeps every other one of the
 *   file's fragment as it was.
 * - An expectation whose handler failed is never written; its previous proven version stays.
 * - Only a complete run removes what the file no longer declares; a deleted test file removes its
 *   fragment. What a fragment removes is *released*, and leaves the contract with it.
 * - Expectations in the contract file that no fragment owns (a fresh clone, where `.treaty/` is not
 *   versioned) are kept until a fragment releases them or the contract is pruned.
 */
import { ErrorCodes, TreatyError } from '../errors.js'
import { compareDescriptions } from './canonical.js'
import type { Expectation } from './types.js'

/** An expectation with its content hash, computed once when it was proven. */
export interface Proven {
  hash: string
  expectation: Expectation
}

/** What one test file proved of one contract, on disk under `.treaty/<pair>/`. */
export interface Fragment {
  testFile: string
  consumer: string
  provider: string
  entries: Proven[]
}

/** What one run of one test file did for one contract. */
export interface FileRun {
  proven: ReadonlyMap<string, Proven>
  /** Descriptions whose handler failed in this run. */
  failed: ReadonlySet<string>
  complete: boolean
}

/** The fragment after `run`, and the descriptions it no longer holds (released). */
export function nextFragment(previous: readonly Proven[], run: FileRun): { entries: Proven[]; released: string[] } {
  const before = new Map(previous.map((p) => [p.expectation.description, p]))
  const after = new Map<string, Proven>(run.complete ? [] : before)
  for (const [description, proven] of run.proven) after.set(description, proven)
  if (run.complete) {
    for (const description of run.failed) {
      const kept = before.get(description)
      if (kept && !run.proven.has(description)) after.set(description, kept)
    }
  }
  const released = [...before.keys()].filter((d) => !after.has(d))
  return { entries: [...after.values()], released }
}

export interface FragmentOnDisk {
  fragment: Fragment
  /** False when the test file changed after the fragment was written. */
  fresh: boolean
}

/**
 * The contract's expectations from its fragments and the contract file as it was (`existing`).
 * The fragment of `current` wins, then fresh fragments over stale ones; two fresh fragments that
 * declare one description with different content throw EXPECTATION_DUPLICATE. Expectations of
 * `existing` that no fragment owns stay unless `released` names them or `prune` is set.
 */
export function mergeFragments(
  fragments: readonly FragmentOnDisk[],
  current: string | undefined,
  existing: readonly Expectation[],
  released: ReadonlySet<string>,
  prune = false,
): Expectation[] {
  const rank = (f: FragmentOnDisk) => (f.fragment.testFile === current ? 2 : f.fresh ? 1 : 0)
  const ordered = [...fragments].sort((a, b) => rank(b) - rank(a))
  const merged = new Map<string, { proven: Proven; testFile: string; fresh: boolean }>()
  for (const { fragment, fresh } of ordered) {
    for (const proven of fragment.entries) {
      const description = proven.expectation.description
      const known = merged.get(description)
      if (!known) {
        merged.set(description, { proven, testFile: fragment.testFile, fresh })
      } else if (known.proven.hash !== proven.hash && fresh && known.fresh) {
        throw new TreatyError(
          ErrorCodes.EXPECTATION_DUPLICATE,
          `expectation ${JSON.stringify(description)} is declared with different content in ${known.testFile} and ${fragment.testFile}`,
          { path: 'description', hint: 'give one of them another description, or make them identical' },
        )
      }
    }
  }
  const out = [...merged.values()].map((m) => m.proven.expectation)
  if (!prune) {
    for (const e of existing) if (!merged.has(e.description) && !released.has(e.description)) out.push(e)
  }
  return out.sort(compareDescriptions)
}
