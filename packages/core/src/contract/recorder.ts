/**
 * Writing one contract from many test files running in parallel workers.
 *
 * Each test file owns a fragment: `<dir>/.treaty/<consumer>--<provider>/<hash of test file>.json`,
 * holding the expectations that file verified in its latest run. A file's first verification in a
 * process replaces its fragment (so tests removed from it disappear); every verification then
 * rewrites the fragment and, under a lock, rebuilds the contract from all fragments. Fragments of
 * test files that no longer exist are dropped. Only the rebuild needs the lock: a fragment has one
 * writer, and whoever rebuilds last has seen every fragment written before it.
 */
import { createHash } from 'node:crypto'
import { mkdir, readdir, readFile, rename, rm, stat, unlink, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import { ErrorCodes, TreatyError } from '../errors.js'
import { expectationHash } from './canonical.js'
import { atomicWrite, contractFileName, serializeContract } from './read-write.js'
import { CONTRACT_FORMAT_VERSION, type Contract, type Expectation } from './types.js'

interface Fragment {
  testFile: string
  expectations: Expectation[]
}

export interface RecorderOptions {
  dir: string
  consumer: string
  provider: string
  /** How long to wait for another worker's rebuild (default 30 s). */
  lockTimeoutMs?: number
}

/** A rebuild takes milliseconds: a lock this old was left by a worker that died holding it. */
const STALE_LOCK_MS = 5_000

export class ContractRecorder {
  readonly #dir: string
  readonly #consumer: string
  readonly #provider: string
  readonly #fragmentDir: string
  readonly #lockTimeoutMs: number
  /** What each test file verified in this process, by description. */
  readonly #verified = new Map<string, Map<string, Expectation>>()
  /** Records from one process run one at a time, so fragment writes land in the order they were made. */
  #queue: Promise<unknown> = Promise.resolve()

  constructor(options: RecorderOptions) {
    this.#dir = options.dir
    this.#consumer = options.consumer
    this.#provider = options.provider
    const pair = contractFileName(options.consumer, options.provider).replace(/\.json$/, '')
    this.#fragmentDir = join(options.dir, '.treaty', pair)
    this.#lockTimeoutMs = options.lockTimeoutMs ?? 30_000
  }

  get contractPath(): string {
    return join(this.#dir, contractFileName(this.#consumer, this.#provider))
  }

  /** Description → expectation already recorded by `testFile` in this process. */
  recorded(testFile: string, description: string): Expectation | undefined {
    return this.#verified.get(testFile)?.get(description)
  }

  /**
   * Records the outcome of one expectation for `testFile`: `expectation` when it passed, `null` when it
   * failed (it leaves the contract). Rebuilds the contract file. Throws EXPECTATION_DUPLICATE when
   * another test file declares the same description with other content.
   */
  record(testFile: string, description: string, expectation: Expectation | null): Promise<void> {
    const run = this.#queue.then(() => this.#record(testFile, description, expectation))
    this.#queue = run.catch(() => {})
    return run
  }

  async #record(testFile: string, description: string, expectation: Expectation | null): Promise<void> {
    let mine = this.#verified.get(testFile)
    if (!mine) {
      mine = new Map()
      this.#verified.set(testFile, mine)
    }
    if (expectation) mine.set(description, expectation)
    else mine.delete(description)
    await mkdir(this.#fragmentDir, { recursive: true })
    const fragment: Fragment = { testFile, expectations: [...mine.values()] }
    await atomicWrite(join(this.#fragmentDir, fragmentName(testFile)), JSON.stringify(fragment))
    await this.#withLock(() => this.#rebuild(testFile))
  }

  async #rebuild(current: string): Promise<void> {
    const fragments = await this.#readFragments()
    const merged = new Map<string, { expectation: Expectation; hash: string; testFile: string; fresh: boolean }>()
    // The current file's fragment first, then fresh ones before stale ones (a stale fragment's test file
    // changed after it was written): on a conflict, what was verified most recently wins.
    const rank = (f: { fragment: Fragment; fresh: boolean }) => (f.fragment.testFile === current ? 2 : f.fresh ? 1 : 0)
    fragments.sort((a, b) => rank(b) - rank(a))
    for (const { fragment, fresh } of fragments) {
      for (const expectation of fragment.expectations) {
        const hash = expectationHash(expectation)
        const known = merged.get(expectation.description)
        if (!known) {
          merged.set(expectation.description, { expectation, hash, testFile: fragment.testFile, fresh })
        } else if (known.hash !== hash && fresh && known.fresh) {
          throw new TreatyError(
            ErrorCodes.EXPECTATION_DUPLICATE,
            `expectation ${JSON.stringify(expectation.description)} is declared with different content in ${known.testFile} and ${fragment.testFile}`,
            { path: 'description', hint: 'give one of them another description, or make them identical' },
          )
        }
      }
    }
    const path = this.contractPath
    if (merged.size === 0) {
      await unlink(path).catch(() => {})
      return
    }
    const contract: Contract = {
      treaty: CONTRACT_FORMAT_VERSION,
      consumer: this.#consumer,
      provider: this.#provider,
      expectations: [...merged.values()].map((m) => m.expectation),
    }
    const text = serializeContract(contract)
    const before = await readFile(path, 'utf8').catch(() => undefined)
    if (before !== text) await atomicWrite(path, text)
  }

  /** Fragments whose test file still exists; `fresh` is false when the test file changed after its fragment was written. */
  async #readFragments(): Promise<{ fragment: Fragment; fresh: boolean }[]> {
    // Sorted: the merge must not depend on the order the file system lists entries in.
    const names = (await readdir(this.#fragmentDir)).filter((n) => n.endsWith('.json')).sort()
    const out: { fragment: Fragment; fresh: boolean }[] = []
    for (const name of names) {
      const path = join(this.#fragmentDir, name)
      let fragment: Fragment
      let written: number
      try {
        fragment = JSON.parse(await readFile(path, 'utf8')) as Fragment
        written = (await stat(path)).mtimeMs
      } catch {
        continue // being replaced right now (rename is atomic, so it reappears whole) or corrupt
      }
      const source = await stat(fragment.testFile).catch(() => undefined)
      if (!source) {
        await unlink(path).catch(() => {})
        continue
      }
      out.push({ fragment, fresh: source.mtimeMs <= written })
    }
    return out
  }

  async #withLock<T>(fn: () => Promise<T>): Promise<T> {
    const lock = join(this.#fragmentDir, '.lock')
    const deadline = Date.now() + this.#lockTimeoutMs
    for (let attempt = 0; ; attempt++) {
      try {
        await mkdir(lock)
        break
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err
        const held = await stat(lock).catch(() => undefined)
        if (held && Date.now() - held.mtimeMs > STALE_LOCK_MS) {
          // Rename before removing: of two waiters breaking the same stale lock, only one rename succeeds,
          // so neither can delete a lock the other has just taken.
          const doomed = `${lock}.stale-${process.pid}-${Math.random().toString(36).slice(2)}`
          if (
            await rename(lock, doomed).then(
              () => true,
              () => false,
            )
          )
            await rm(doomed, { recursive: true, force: true })
          continue
        }
        if (Date.now() > deadline) {
          throw new TreatyError(ErrorCodes.CONTRACT_LOCK_TIMEOUT, `could not lock ${lock} within ${this.#lockTimeoutMs} ms`, {
            hint: `if no test run is active, delete ${lock}`,
          })
        }
        await sleep(5 + Math.min(attempt, 10) * 5 * Math.random())
      }
    }
    try {
      await writeFile(join(lock, 'owner'), String(process.pid)).catch(() => {})
      return await fn()
    } finally {
      await rm(lock, { recursive: true, force: true })
    }
  }
}

export function fragmentName(testFile: string): string {
  return `${createHash('sha256').update(testFile).digest('hex').slice(0, 24)}.json`
}
