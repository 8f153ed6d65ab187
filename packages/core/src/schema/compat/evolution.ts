/**
 * Schema evolution over a version history, with the modes schema registries use (Confluent's
 * names): `backward` — the new schema, as reader, reads data written with the previous one;
 * `forward` — the previous schema, as reader, reads data written with the new one; `full` — both.
 * `_transitive` checks the new schema against every earlier version instead of the previous only.
 */

import { ErrorCodes, TreatyError } from '../../errors.js'
import type { JsonSchema } from '../../json/types.js'
import { checkCompatibility } from './check.js'
import type { Difference } from './types.js'

export const EVOLUTION_MODES = ['backward', 'forward', 'full', 'backward_transitive', 'forward_transitive', 'full_transitive'] as const

export type EvolutionMode = (typeof EVOLUTION_MODES)[number]

/** One writer/reader pair the mode asked for; versions are indexes into the history. */
export interface EvolutionCheck {
  /** `backward`: old data, new reader. `forward`: new data, old reader. */
  direction: 'backward' | 'forward'
  writer: number
  reader: number
  compatible: boolean
  differences: Difference[]
}

export interface EvolutionResult {
  mode: EvolutionMode
  compatible: boolean
  /** Every pair checked, earliest version first, backward before forward. */
  checks: EvolutionCheck[]
}

export function isEvolutionMode(value: unknown): value is EvolutionMode {
  return typeof value === 'string' && (EVOLUTION_MODES as readonly string[]).includes(value)
}

/**
 * Whether the newest schema of `history` (ordered oldest to newest) may follow the earlier ones
 * under `mode`. A history of fewer than two versions is trivially compatible.
 */
export function checkEvolution(history: readonly JsonSchema[], mode: EvolutionMode): EvolutionResult {
  if (!isEvolutionMode(mode)) {
    throw new TreatyError(ErrorCodes.COMPAT_MODE_INVALID, `unknown compatibility mode "${String(mode)}"`, {
      path: 'mode',
      hint: `use one of ${EVOLUTION_MODES.join(', ')}`,
    })
  }
  const latest = history.length - 1
  const checks: EvolutionCheck[] = []
  if (latest < 1) return { mode, compatible: true, checks }
  const transitive = mode.endsWith('_transitive')
  const backward = mode.startsWith('backward') || mode.startsWith('full')
  const forward = mode.startsWith('forward') || mode.startsWith('full')
  for (let v = transitive ? 0 : latest - 1; v < latest; v++) {
    if (backward) checks.push(pair('backward', v, latest, history))
    if (forward) checks.push(pair('forward', latest, v, history))
  }
  return { mode, compatible: checks.every((c) => c.compatible), checks }
}

function pair(direction: EvolutionCheck['direction'], writer: number, reader: number, history: readonly JsonSchema[]): EvolutionCheck {
  const result = checkCompatibility(history[writer]!, history[reader]!)
  return { direction, writer, reader, ...result }
}
