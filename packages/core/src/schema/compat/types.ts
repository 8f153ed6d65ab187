/** Public types of the compatibility engine. */
import type { DifferenceKind } from './differences.js'

/** One reason why a writer's message may be rejected by a reader. */
export interface Difference {
  /**
   * JSON pointer into the message (`''` for the whole message). `*` stands for any array item past
   * the positional ones, or any property other than the named ones.
   */
  pointer: string
  /** Stable identifier; one of `DifferenceKinds`. Match on this, never on `message`. */
  kind: DifferenceKind
  /** One sentence for people. Starts with `cannot prove: ` when `kind` is `CANNOT_PROVE`. */
  message: string
}

export interface CompatibilityResult {
  /** True only when every instance valid under the writer schema was proven valid under the reader schema. */
  compatible: boolean
  /** Empty exactly when `compatible`. */
  differences: Difference[]
}
