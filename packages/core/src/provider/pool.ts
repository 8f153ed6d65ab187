/**
 * `fn(0) … fn(count - 1)` with at most `limit` calls in flight; results by index, whatever finishes
 * first. A synchronous answer is taken as is, without a turn of the event loop (see Verifier.verify).
 */
import { callsUserCode } from './own-frames.js'

callsUserCode(import.meta.url)

export async function mapBounded<R>(count: number, limit: number, fn: (index: number) => R | Promise<R>): Promise<R[]> {
  const results = new Array<R>(count)
  let next = 0
  const worker = async (): Promise<void> => {
    while (next < count) {
      const i = next++
      const answer = fn(i)
      results[i] = answer instanceof Promise ? await answer : answer
    }
  }
  await Promise.all(Array.from({ length: Math.min(limit, count) }, worker))
  return results
}
