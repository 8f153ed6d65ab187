// The compatibility engine's public face; packages/core/src/index.ts re-exports it.
export { checkCompatibility } from './check.js'
export { type DifferenceKind, DifferenceKinds } from './differences.js'
export {
  checkEvolution,
  EVOLUTION_MODES,
  type EvolutionCheck,
  type EvolutionMode,
  type EvolutionResult,
  isEvolutionMode,
} from './evolution.js'
export type { CompatibilityResult, Difference } from './types.js'
