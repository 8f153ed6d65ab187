/** Calls user code (producers, state hooks) with a time limit, without a timer when it answers synchronously. */
import { callsUserCode } from './own-frames.js'

callsUserCode(import.meta.url)

export class TimeoutError extends Error {
  constructor(what: string, ms: number) {
    super(`${what} did not finish within ${ms} ms (timeoutMs)`)
    this.name = 'TimeoutError'
  }
}

/**
 * `fn()`, or its promise raced against `ms`. A synchronous result or throw comes back as is, so
 * a trivial producer costs no timer. The timed-out call keeps running; only the wait ends. The
 * error names `${role} "${name}"`, joined only when it is needed.
 */
export function callWithin<T>(fn: () => T | PromiseLike<T>, ms: number, name: string, role: string): T | Promise<T> {
  const result = fn()
  if (!isThenable(result)) return result
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new TimeoutError(`${role} "${name}"`, ms)), ms)
    result.then(
      (value) => {
        clearTimeout(timer)
        resolve(value)
      },
      (error: unknown) => {
        clearTimeout(timer)
        reject(error)
      },
    )
  })
}

export function isThenable<T>(value: T | PromiseLike<T>): value is PromiseLike<T> {
  return (
    value !== null && (typeof value === 'object' || typeof value === 'function') && typeof (value as PromiseLike<T>).then === 'function'
  )
}
