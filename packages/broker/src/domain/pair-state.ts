/**
 * The state of a consumer → provider pair, as the web UI and the badges show it, decided from the pair's
 * latest contract content:
 * - `verified`: the latest replayed verification of that content succeeded;
 * - `failed`: it failed, or (with no replay result) the provider's latest provider schema does not satisfy it;
 * - `proven`: no replay result, but the provider's latest provider schema satisfies it (bi-directional);
 * - `pending`: nothing decided it yet, and no provider version on the provider's main branch ever verified it:
 *   a new contract waiting for the provider, which does not fail the provider's build (see pending.ts);
 * - `unverified`: nothing decided it, yet it is not pending (it was verified on main once, and its results
 *   are gone from view, e.g. the provider has since published a schema that cannot be compared).
 * A replay result always wins over a static one, as in can-i-deploy.
 */
import { type StaticCheckDifference, staticDifferences } from '@treaty/core'
import type { ExpectationFact, ProviderSchemaFact } from './types.js'

export const PAIR_STATES = ['verified', 'proven', 'failed', 'pending', 'unverified'] as const
export type PairState = (typeof PAIR_STATES)[number]

export interface PairDecision {
  state: PairState
  /** How the state was decided; null when nothing decided it. */
  mode: 'replay' | 'static' | null
  /** The pending rule: true until a provider version on its main branch verified this content successfully. */
  pending: boolean
  /** With `mode: 'static'` and `failed`: why the provider schema does not satisfy the contract. */
  differences: StaticCheckDifference[]
}

export interface PairInput {
  latestVerification: { success: boolean } | null
  verifiedOnMain: boolean
  /** The provider's latest provider schema, when it published one. */
  providerSchema: ProviderSchemaFact | undefined
  /** The content's expectations; needed only with a provider schema. */
  expectations: readonly ExpectationFact[] | undefined
}

export function decidePair(input: PairInput): PairDecision {
  const pending = !input.verifiedOnMain
  if (input.latestVerification) {
    return { state: input.latestVerification.success ? 'verified' : 'failed', mode: 'replay', pending, differences: [] }
  }
  if (input.providerSchema && input.expectations) {
    const differences = staticDifferences(input.expectations, input.providerSchema.producers)
    return { state: differences.length === 0 ? 'proven' : 'failed', mode: 'static', pending, differences }
  }
  return { state: pending ? 'pending' : 'unverified', mode: null, pending, differences: [] }
}
