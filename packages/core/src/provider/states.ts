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
import { callWithin } from './timeout.js'
import type { StateHandler, StateHandlers, StateParams } from './types.js'

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
      } else if (handler !== null && typeof handler === 'object' && isHook(handler.setup) && isHook(handler.teardown)) {
        this.#handlers.set(name, handler)
      } else {
        throw new TreatyError(
          ErrorCodes.VERIFY_CONFIG_INVALID,
          `states[${JSON.stringify(name)}] must be a setup function or { setup, teardown }`,
          {
            path: `states.${name}`,
          },
        )
      }
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
   * setup was attempted, in reverse order. Returns what failed; `body` must not throw.
   */
  async around(states: readonly ProviderState[], body: () => Promise<void>): Promise<StateFailure[]> {
    if (states.length === 0) {
      await body()
      return []
    }
    const failures: StateFailure[] = []
    const release = await this.#locks.acquire(this.#lockNames(states))
    const attempted: { name: string; params: StateParams; handler: StateHandler; cleanup?: () => unknown }[] = []
    try {
      let ready = true
      for (const state of states) {
        const handler = this.#handlers.get(state.name)!
        const entry: (typeof attempted)[number] = { name: state.name, params: state.params ?? NO_PARAMS, handler }
        attempted.push(entry)
        try {
          const setup = handler.setup
          const result = setup ? await callWithin(() => setup(entry.params), this.#timeoutMs, state.name, 'setup of state') : undefined
          if (typeof result === 'function') entry.cleanup = result as () => unknown
        } catch (error) {
          failures.push({ phase: 'setup', state: state.name, error })
          ready = false
          break
        }
      }
      if (ready) await body()
    } finally {
      for (const entry of attempted.reverse()) {
        const { cleanup, handler } = entry
        try {
          if (cleanup) await callWithin(cleanup, this.#timeoutMs, entry.name, 'cleanup of state')
          const teardown = handler.teardown
          if (teardown) await callWithin(() => teardown(entry.params), this.#timeoutMs, entry.name, 'teardown of state')
        } catch (error) {
          failures.push({ phase: 'teardown', state: entry.name, error })
        }
      }
      release()
    }
    return failures
  }

  #lockNames(states: readonly ProviderState[]): string[] {
    const names = new Set<string>()
    for (const s of states) if (!this.#handlers.get(s.name)?.parallelSafe) names.add(s.name)
    return [...names].sort()
  }
}

function isHook(value: unknown): boolean {
  return value === undefined || typeof value === 'function'
}

/** One FIFO lock per key. `acquire` takes several keys, in the order given. */
export class KeyedLock {
  readonly #tails = new Map<string, Promise<void>>()

  async acquire(keys: readonly string[]): Promise<() => void> {
    const releases: (() => void)[] = []
    for (const key of keys) releases.push(await this.#one(key))
    return () => {
      for (const release of releases.reverse()) release()
    }
  }

  #one(key: string): Promise<() => void> {
    const before = this.#tails.get(key) ?? Promise.resolve()
    let open!: () => void
    const mine = new Promise<void>((resolve) => {
      open = resolve
    })
    const tail = before.then(() => mine)
    this.#tails.set(key, tail)
    return before.then(() => () => {
      open()
      if (this.#tails.get(key) === tail) this.#tails.delete(key)
    })
  }
}
