/**
 * Provider states: set up before the producer runs, torn down after it, always.
 *
 * States usually seed shared data (a database, a fake). Two expectations that share a state could
 * otherwise interleave as setup A, setup B, teardown A, producer B — and B would build its message
 * from data that is gone. So an expectation holds a lock on each of its states from the first setup
 * to the last teardown; a state declared `parallelSafe` takes no lock. Locks are taken in name order,
 * which rules out deadlock between expectations that share several states.
 */
import type { ProviderState } from '../contract/types.js'
import { ErrorCodes, TreatyError } from '../errors.js'
import { callsUserCode } from './own-frames.js'
import { callWithin, isThenable } from './timeout.js'
import type { StateHandler, StateHandlers, StateParams } from './types.js'

callsUserCode(import.meta.url)

export interface StateFailure {
  phase: 'setup' | 'teardown'
  state: string
  error: unknown
}

const NO_PARAMS: StateParams = Object.freeze({})

export class StateRunner {
  readonly #handlers = new Map<string, StateHandler>()
  readonly #locks = new KeyedLock()
  readonly #timeoutMs: number
  /** Every registered state name, sorted. */
  readonly known: string[]

  constructor(handlers: StateHandlers | undefined, timeoutMs: number) {
    this.#timeoutMs = timeoutMs
    if (handlers !== undefined && (handlers === null || typeof handlers !== 'object' || Array.isArray(handlers))) {
      throw new TreatyError(ErrorCodes.VERIFY_CONFIG_INVALID, 'states must be an object keyed by state name', {
        path: 'states',
        hint: "pass states: { 'an invoice exists': async (params) => seed(params) }",
      })
    }
    for (const [name, handler] of Object.entries(handlers ?? {})) {
      if (typeof handler === 'function') {
        this.#handlers.set(name, { setup: handler })
        continue
      }
      const stray = handler !== null && typeof handler === 'object' ? strayKeys(handler) : []
      if (stray.length === 0 && isHandlerObject(handler)) {
        this.#handlers.set(name, handler)
        continue
      }
      throw new TreatyError(
        ErrorCodes.VERIFY_CONFIG_INVALID,
        `states[${JSON.stringify(name)}] must be a setup function or { setup, teardown, parallelSafe }${stray.length ? ` (found ${stray.map((k) => JSON.stringify(k)).join(', ')})` : ''}`,
        {
          path: `states.${name}`,
          hint: "states are keyed by state name: export const states = { 'an invoice exists': async (params) => seed(params) }",
        },
      )
    }
    this.known = [...this.#handlers.keys()].sort()
  }

  /** Names in `states` that have no handler, each once. */
  unknown(states: readonly ProviderState[]): string[] {
    const out: string[] = []
    for (const s of states) if (!this.#handlers.has(s.name) && !out.includes(s.name)) out.push(s.name)
    return out
  }

  /**
   * Sets up `states` in order, runs `body` (unless a setup failed), then tears down every state whose
   * setup was attempted, in reverse order. Returns what failed; `body` must not throw. Answers
   * synchronously when the locks are free and every hook and the body answer synchronously: nothing
   * else can run in between, so the states are as exclusive as under a held lock, without a promise
   * per expectation (bench/verify from disk).
   */
  around(states: readonly ProviderState[], body: () => Promise<void> | undefined): StateFailure[] | Promise<StateFailure[]> {
    return drive(this.#around(states, body))
  }

  *#around(states: readonly ProviderState[], body: () => Promise<void> | undefined): Generator<unknown, StateFailure[], unknown> {
    if (states.length === 0) {
      yield body()
      return []
    }
    const failures: StateFailure[] = []
    const release = (yield this.#locks.acquire(this.#lockNames(states))) as () => void
    const attempted: { name: string; params: StateParams; handler: StateHandler; cleanup?: () => unknown }[] = []
    try {
      let ready = true
      for (const state of states) {
        const handler = this.#handlers.get(state.name)!
        const entry: (typeof attempted)[number] = { name: state.name, params: state.params ?? NO_PARAMS, handler }
        attempted.push(entry)
        try {
          const setup = handler.setup
          const result = setup ? yield callWithin(() => setup(entry.params), this.#timeoutMs, state.name, 'setup of state') : undefined
          if (typeof result === 'function') entry.cleanup = result as () => unknown
        } catch (error) {
          failures.push({ phase: 'setup', state: state.name, error })
          ready = false
          break
        }
      }
      if (ready) yield body()
    } finally {
      for (const entry of attempted.reverse()) {
        const { cleanup, handler } = entry
        try {
          if (cleanup) yield callWithin(cleanup, this.#timeoutMs, entry.name, 'cleanup of state')
          const teardown = handler.teardown
          if (teardown) yield callWithin(() => teardown(entry.params), this.#timeoutMs, entry.name, 'teardown of state')
        } catch (error) {
          failures.push({ phase: 'teardown', state: entry.name, error })
        }
      }
      release()
    }
    return failures
  }

  #lockNames(states: readonly ProviderState[]): string[] {
    if (states.length === 1) {
      const name = states[0]!.name
      return this.#handlers.get(name)?.parallelSafe ? [] : [name]
    }
    const names = new Set<string>()
    for (const s of states) if (!this.#handlers.get(s.name)?.parallelSafe) names.add(s.name)
    return [...names].sort()
  }
}

/**
 * Runs a sequence written as a generator that yields values or promises and gets back what they hold:
 * synchronously for as long as it yields plain values, asynchronously from the first promise on. A
 * rejected promise is thrown into the generator, where the sequence's own try/finally sees it.
 */
export function drive<T>(sequence: Generator<unknown, T, unknown>): T | Promise<T> {
  let step = sequence.next()
  while (!step.done) {
    if (isThenable(step.value)) return resume(sequence, step.value)
    step = sequence.next(step.value)
  }
  return step.value
}

async function resume<T>(sequence: Generator<unknown, T, unknown>, first: PromiseLike<unknown>): Promise<T> {
  let pending = first
  for (;;) {
    let value: unknown
    let failed = false
    try {
      value = await pending
    } catch (error) {
      failed = true
      value = error
    }
    let step = failed ? sequence.throw(value) : sequence.next(value)
    while (!step.done && !isThenable(step.value)) step = sequence.next(step.value)
    if (step.done) return step.value
    pending = step.value as PromiseLike<unknown>
  }
}

const HANDLER_KEYS = new Set(['setup', 'teardown', 'parallelSafe'])
/** Keys a `{ setup, teardown, parallelSafe }` handler does not have: a map of states one level too deep, say. */
function strayKeys(handler: object): string[] {
  return Object.keys(handler).filter((k) => !HANDLER_KEYS.has(k))
}

/** `{ setup?, teardown?, parallelSafe? }`: functions, and true or false (a string "false" would be truthy). */
function isHandlerObject(handler: unknown): handler is StateHandler {
  if (handler === null || typeof handler !== 'object') return false
  const { setup, teardown, parallelSafe } = handler as StateHandler
  return isHook(setup) && isHook(teardown) && (parallelSafe === undefined || typeof parallelSafe === 'boolean')
}

function isHook(value: unknown): boolean {
  return value === undefined || typeof value === 'function'
}

/**
 * One FIFO lock per key. `acquire` takes several keys, in the order given; it answers synchronously when
 * every key is free, and with a promise when it has to wait for one.
 */
export class KeyedLock {
  /** Held keys, each with the queue of those waiting for it: a key is handed from holder to waiter. */
  readonly #held = new Map<string, (() => void)[]>()

  acquire(keys: readonly string[]): (() => void) | Promise<() => void> {
    for (let i = 0; i < keys.length; i++) {
      const key = keys[i]!
      if (this.#held.has(key)) return this.#acquireFrom(keys, i)
      this.#held.set(key, [])
    }
    return () => this.#release(keys)
  }

  async #acquireFrom(keys: readonly string[], from: number): Promise<() => void> {
    for (let i = from; i < keys.length; i++) {
      const key = keys[i]!
      const waiting = this.#held.get(key)
      if (waiting) await new Promise<void>((resolve) => waiting.push(resolve))
      else this.#held.set(key, [])
    }
    return () => this.#release(keys)
  }

  #release(keys: readonly string[]): void {
    for (let i = keys.length - 1; i >= 0; i--) {
      const key = keys[i]!
      const next = this.#held.get(key)?.shift()
      if (next) next()
      else this.#held.delete(key)
    }
  }
}
