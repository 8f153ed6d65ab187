/** How each pair state reads and looks, in the graph, the tables and the legend alike. */
import type { PairState } from '@treaty/core/wire'

export const STATE_INFO: Record<PairState, { label: string; colour: string; meaning: string }> = {
  verified: { label: 'verified', colour: '#1b5e20', meaning: 'verified by replaying the provider’s producers' },
  proven: { label: 'proven', colour: '#00574b', meaning: 'proven statically from the provider schema' },
  failed: { label: 'failed', colour: '#b71c1c', meaning: 'the latest verification failed' },
  pending: { label: 'pending', colour: '#7a5200', meaning: 'new contract, not yet verified by the provider' },
  unverified: { label: 'unverified', colour: '#4a4a4a', meaning: 'no verification result' },
}

export const STATE_ORDER: readonly PairState[] = ['failed', 'pending', 'unverified', 'proven', 'verified']

/** The worse of two states (failed first), for an edge several pairs share. */
export function worse(a: PairState, b: PairState): PairState {
  return STATE_ORDER.indexOf(a) <= STATE_ORDER.indexOf(b) ? a : b
}

export type { PairState }
