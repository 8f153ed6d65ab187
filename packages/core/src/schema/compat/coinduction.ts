/**
 * Memoised recursion over pairs of schemas that may recur (recursive `$ref`s). A pair met again
 * while it is still being decided is assumed to hold when the message went deeper in between:
 * a counterexample would then contain a strictly smaller counterexample for the same pair, so by
 * induction on message size there is none. Met again at the same depth (a `$ref` cycle that never
 * reaches a value) it is not assumed. Results that leaned on an assumption about a pair further up
 * the stack are not memoised: that assumption may still turn out false.
 */
interface Frame {
  depth: number
  /** Lowest stack index this frame's result depends on by assumption. */
  low: number
}

export class Coinduction<T> {
  private readonly frames: Frame[] = []
  private readonly open = new Map<string, number>()
  private readonly memo = new Map<string, T>()

  run(key: string, depth: number, assumed: () => T, leftRecursive: () => T, compute: () => T): T {
    const at = this.open.get(key)
    if (at !== undefined) {
      const top = this.frames.at(-1)!
      top.low = Math.min(top.low, at)
      return this.frames[at]!.depth < depth ? assumed() : leftRecursive()
    }
    if (this.memo.has(key)) return this.memo.get(key)!
    const index = this.frames.length
    const frame: Frame = { depth, low: Number.POSITIVE_INFINITY }
    this.frames.push(frame)
    this.open.set(key, index)
    let result: T
    try {
      result = compute()
    } finally {
      this.frames.pop()
      this.open.delete(key)
    }
    if (frame.low >= index) this.memo.set(key, result)
    else {
      const parent = this.frames.at(-1)!
      parent.low = Math.min(parent.low, frame.low)
    }
    return result
  }
}
