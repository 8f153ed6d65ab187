/**
 * Writing one contract from many test files running in parallel workers, once per test file.
 *
 * Expectations proven by a test file are collected in memory; when the file finishes, its fragment
 * (`<dir>/.treaty/<consumer>--<provider>/<hash of test file>.json`) is updated by the partial-run
 * rule (fragments.ts) and, under a lock, the contract is rebuilt from every fragment plus what the
 * contract file holds that no fragment owns. Only the rebuild needs the lock; whoever rebuilds last
 * has seen every fragment written before it. Fragments of test files that no longer exist are
 * dropped, and their expectations released.
 *
 * The file operations are synchronous: a flush is a dozen small operations at the end of a test file,
 * and each asynchronous one costs a thread-pool round trip (0.2-4 ms on a busy 2-core machine, against
 * 0.05-0.5 ms synchronous; bench/consumer). Only waiting for another worker's lock yields the event loop.
 */
import { createHash } from 'node:crypto'
import {
  closeSync,
  existsSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  unlinkSync,
  writeSync,
} from 'node:fs'
import { dirname, join } from 'node:path'
import { ErrorCodes, TreatyError } from '../errors.js'
import { expectationHash } from './canonical.js'
import { type Fragment, type FragmentOnDisk, mergeFragments, nextFragment, type Proven } from './fragments.js'
import { atomicWriteSync, contractFileName, serializeContract } from './read-write.js'
import { CONTRACT_FORMAT_VERSION, type Contract, type Expectation } from './types.js'

export interface RecorderOptions {
  dir: string
  consumer: string
  provider: string
  /** How long to wait for another worker's rebuild (default 30 s). */
  lockTimeoutMs?: number
}

/** Gone test files whose kept expectations this process has warned about, by contract and test file. */
const warnedKept = new Set<string>()

/** A rebuild takes milliseconds: a lock this old was left by a worker that died holding it. */
const STALE_LOCK_MS = 5_000

/**
 * The real clock and timer, taken when this module loads. The lock is taken when a test file ends, and the file
 * may have faked both (vi.setSystemTime, vi.useFakeTimers) without restoring them: with a clock set in the past a
 * lock a dead worker left never looked stale (the run hung), with one set ahead a live worker's lock did.
 */
const realNow = Date.now
const realSetTimeout = globalThis.setTimeout
const sleep = (ms: number) => new Promise<void>((resolve) => realSetTimeout(resolve, ms))

/** A fragment whose test file no longer exists: its expectations are released. */
interface GoneFragment {
  path: string
  fragment: Fragment
}

/** What `pruneContract` removed (or, on a dry run, would remove). */
export interface PruneResult {
  contractPath: string
  /** Descriptions of the expectations that leave the contract, sorted as in the contract. */
  removed: string[]
  /** How many expectations the contract keeps. */
  kept: number
  /** Test files whose recorded runs own the kept expectations. */
  testFiles: string[]
  /** Test files that no longer exist: their fragments are dropped and their expectations released. */
  deletedTestFiles: string[]
}

interface PendingRun {
  proven: Map<string, Proven>
  failed: Set<string>
}

export function proven(expectation: Expectation): Proven {
  return { hash: expectationHash(expectation), expectation }
}

export class ContractRecorder {
  readonly dir: string
  readonly consumer: string
  readonly provider: string
  readonly fragmentDir: string
  readonly #lockTimeoutMs: number
  /** What each test file proved (or failed) in this process since its last flush. */
  readonly #runs = new Map<string, PendingRun>()
  /** Flushes from one process run one at a time, so fragment writes land in the order they were made. */
  #queue: Promise<unknown> = Promise.resolve()

  constructor(options: RecorderOptions) {
    this.dir = options.dir
    this.consumer = options.consumer
    this.provider = options.provider
    const pair = contractFileName(options.consumer, options.provider).replace(/\.json$/, '')
    this.fragmentDir = join(options.dir, '.treaty', pair)
    this.#lockTimeoutMs = options.lockTimeoutMs ?? 30_000
  }

  get contractPath(): string {
    return join(this.dir, contractFileName(this.consumer, this.provider))
  }

  /** The expectation `testFile` proved under `description` since its last flush. */
  recorded(testFile: string, description: string): Proven | undefined {
    return this.#runs.get(testFile)?.proven.get(description)
  }

  /** Test files with proven or failed expectations not flushed yet. */
  pendingFiles(): string[] {
    return [...this.#runs.keys()]
  }

  /** Notes a passed expectation; written at the next flush of `testFile`. */
  prove(testFile: string, entry: Proven): void {
    const run = this.#run(testFile)
    run.failed.delete(entry.expectation.description)
    run.proven.set(entry.expectation.description, entry)
  }

  /** Notes a failed expectation: it is not written, and a previously proven version is kept. */
  fail(testFile: string, description: string): void {
    const run = this.#run(testFile)
    run.proven.delete(description)
    run.failed.add(description)
  }

  /**
   * Writes what `testFile` proved into its fragment and rebuilds the contract. `complete` says the
   * file ran every test to success: only then does the fragment lose what the file no longer declares.
   * Throws EXPECTATION_DUPLICATE when another test file declares a description with other content.
   */
  flush(testFile: string, complete: boolean): Promise<void> {
    const run = this.#runs.get(testFile) ?? { proven: new Map(), failed: new Set() }
    this.#runs.delete(testFile)
    const next = this.#queue.then(() => this.#withLock(() => this.#rebuild({ testFile, run, complete })))
    this.#queue = next.catch(() => {})
    return next
  }

  /**
   * Rebuilds the contract from the fragments alone, dropping expectations that no test file owns, and
   * says what it removed. `dryRun` computes the same answer and writes nothing. Refuses (before touching
   * anything) when no fragment of the pair names a test file that exists: pruning would empty the contract.
   */
  prune(dryRun = false): Promise<PruneResult> {
    // After the flushes already queued, as the real prune: a plan that misses them would say the wrong thing.
    if (dryRun) return this.#queue.then(() => this.#prunePlan().result)
    const next = this.#queue.then(() =>
      this.#withLock(async () => {
        const plan = this.#prunePlan()
        this.#write(plan.expectations, plan.existingText, undefined, plan.gone)
        return plan.result
      }),
    )
    this.#queue = next.catch(() => {})
    return next
  }

  #prunePlan(): {
    result: PruneResult
    expectations: Expectation[]
    existingText: string | undefined
    gone: GoneFragment[]
  } {
    const { fragments, gone } = this.#readFragments()
    if (fragments.length === 0) {
      throw new TreatyError(
        ErrorCodes.PRUNE_WITHOUT_FRAGMENTS,
        `no test file here has recorded a run of ${this.consumer} → ${this.provider} in ${this.fragmentDir}: pruning would empty the contract`,
        { hint: 'run the consumer tests (all of them, to completion) in this checkout first; prune keeps what their runs proved' },
      )
    }
    const released = new Set(gone.flatMap((g) => g.fragment.entries.map((e) => e.expectation.description)))
    const existingText = readIfExists(this.contractPath)
    const existing = existingExpectations(existingText, this.contractPath)
    const expectations = mergeFragments(fragments, undefined, existing, released, true)
    const kept = new Set(expectations.map((e) => e.description))
    const result: PruneResult = {
      contractPath: this.contractPath,
      removed: existing.map((e) => e.description).filter((d) => !kept.has(d)),
      kept: expectations.length,
      testFiles: fragments.map((f) => f.fragment.testFile).sort(),
      deletedTestFiles: gone.map((g) => g.fragment.testFile).sort(),
    }
    return { result, expectations, existingText, gone }
  }

  #run(testFile: string): PendingRun {
    let run = this.#runs.get(testFile)
    if (!run) {
      run = { proven: new Map(), failed: new Set() }
      this.#runs.set(testFile, run)
    }
    return run
  }

  #rebuild(change: { testFile: string; run: PendingRun; complete: boolean }): void {
    const { fragments, gone } = this.#readFragments()
    const index = fragments.findIndex((f) => f.fragment.testFile === change.testFile)
    const before = index >= 0 ? fragments[index]?.fragment.entries : undefined
    const { entries, released } = nextFragment(before ?? [], { ...change.run, complete: change.complete })
    if (!before && entries.length === 0 && gone.length === 0) return
    const written: Fragment = { testFile: change.testFile, consumer: this.consumer, provider: this.provider, entries }
    if (index >= 0) fragments.splice(index, 1)
    fragments.push({ fragment: written, fresh: true })
    // A test file that is gone may have been renamed (its new name not run yet) or be missing from a checkout for a
    // while: what it proved stays, giving way (as a stale fragment does) to a live file declaring the same
    // description, until prune. Once live files declare all of it, nothing is lost by dropping its fragment.
    const declared = new Set(fragments.flatMap((f) => f.fragment.entries.map((e) => e.expectation.description)))
    const superseded = gone.filter((g) => g.fragment.entries.every((e) => declared.has(e.expectation.description)))
    for (const g of gone) {
      if (superseded.includes(g)) continue
      fragments.push({ fragment: g.fragment, fresh: false })
      this.#warnKept(g.fragment)
    }
    const existingText = readIfExists(this.contractPath)
    const expectations = mergeFragments(
      fragments,
      change.testFile,
      existingExpectations(existingText, this.contractPath),
      new Set(released),
    )
    this.#write(expectations, existingText, written, superseded)
  }

  /** Says once per process that a gone test file's expectations were kept, and how to drop them. */
  #warnKept(fragment: Fragment): void {
    const key = `${this.contractPath}\u0000${fragment.testFile}`
    if (warnedKept.has(key)) return
    warnedKept.add(key)
    console.warn(
      `treaty: ${this.contractPath} keeps ${fragment.entries.length} expectation(s) proved by ${fragment.testFile}, which is gone (renamed or deleted); ` +
        'if it was deleted, run `treaty contracts prune` after a complete run of the consumer tests to drop them',
    )
  }

  /** Writes the fragment (the source of truth, first), then the contract, then (prune) drops fragments of deleted test files. */
  #write(expectations: Expectation[], existingText: string | undefined, written: Fragment | undefined, gone: GoneFragment[]): void {
    if (written) {
      const path = join(this.fragmentDir, fragmentName(written.testFile))
      if (written.entries.length > 0) atomicWriteSync(path, JSON.stringify(written))
      else unlinkIfExists(path)
    }
    if (expectations.length === 0) {
      if (existingText !== undefined) unlinkIfExists(this.contractPath)
    } else {
      const contract: Contract = { treaty: CONTRACT_FORMAT_VERSION, consumer: this.consumer, provider: this.provider, expectations }
      const text = serializeContract(contract)
      if (text !== existingText) atomicWriteSync(this.contractPath, text)
    }
    for (const g of gone) unlinkIfExists(g.path)
  }

  /**
   * Fragments whose test file still exists, and those whose test file was deleted (prune releases them; a run
   * keeps them). A fragment whose test file's directory is gone too is neither: a moved or renamed checkout,
   * whose fragments prune must not take for this checkout's deleted files.
   */
  #readFragments(): { fragments: FragmentOnDisk[]; gone: GoneFragment[] } {
    // Sorted: the merge must not depend on the order the file system lists entries in. A dry-run prune
    // reads before anything created the directory.
    const names = listIfExists(this.fragmentDir)
      .filter((n) => n.endsWith('.json'))
      .sort()
    const fragments: FragmentOnDisk[] = []
    const gone: GoneFragment[] = []
    for (const name of names) {
      const path = join(this.fragmentDir, name)
      const fragment = readFragment(path)
      if (!fragment) continue
      const source = statSync(fragment.testFile, { throwIfNoEntry: false })
      const written = statSync(path, { throwIfNoEntry: false })
      if (!written) continue
      if (source) fragments.push({ fragment, fresh: source.mtimeMs <= written.mtimeMs })
      // Deleted only when its directory is still there: a whole missing tree is a moved or renamed checkout
      // (fragments name test files by absolute path), and releasing would drop what those files proved.
      else if (existsSync(dirname(fragment.testFile))) gone.push({ path, fragment })
    }
    return { fragments, gone }
  }

  /**
   * Runs `fn` holding `<fragmentDir>/.lock`, a file created exclusively (O_EXCL) holding the owner's pid.
   * A file, not a directory: removing a directory costs milliseconds on file systems that discard freed
   * blocks at once, removing a file does not. A lock older than STALE_LOCK_MS (file, or the directory an
   * older version made) was left by a worker that died holding it, and is broken.
   */
  async #withLock<T>(fn: () => T | Promise<T>): Promise<T> {
    mkdirSync(this.fragmentDir, { recursive: true })
    const lock = join(this.fragmentDir, '.lock')
    const deadline = realNow() + this.#lockTimeoutMs
    for (let attempt = 0; ; attempt++) {
      try {
        const fd = openSync(lock, 'wx')
        try {
          writeSync(fd, String(process.pid))
        } finally {
          closeSync(fd)
        }
        break
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err
        const held = statSync(lock, { throwIfNoEntry: false })
        if (held && realNow() - held.mtimeMs > STALE_LOCK_MS) {
          // Rename before removing: of two waiters breaking the same stale lock, only one rename succeeds,
          // so neither can delete a lock the other has just taken.
          const doomed = `${lock}.stale-${process.pid}-${Math.random().toString(36).slice(2)}`
          if (renamed(lock, doomed)) rmSync(doomed, { recursive: true, force: true })
          continue
        }
        if (realNow() > deadline) {
          throw new TreatyError(ErrorCodes.CONTRACT_LOCK_TIMEOUT, `could not lock ${lock} within ${this.#lockTimeoutMs} ms`, {
            hint: `if no test run is active, delete ${lock}`,
          })
        }
        await sleep(5 + Math.min(attempt, 10) * 5 * Math.random())
      }
    }
    try {
      return await fn()
    } finally {
      unlinkIfExists(lock)
    }
  }
}

/**
 * Rewrites a contract from its fragments alone: expectations no test file owns (kept by partial runs,
 * e.g. on a fresh clone) are removed, and so are the fragments of deleted test files. Run it after a
 * complete run of every consumer test. `dryRun` reports the same and writes nothing. Throws
 * PRUNE_WITHOUT_FRAGMENTS, touching nothing, when no test file has recorded a run of the pair.
 */
export function pruneContract(options: RecorderOptions & { dryRun?: boolean }): Promise<PruneResult> {
  return new ContractRecorder(options).prune(options.dryRun === true)
}

/** A fragment on disk, or undefined when it is being replaced right now, corrupt or of an older layout. */
export function readFragment(path: string): Fragment | undefined {
  try {
    const value = JSON.parse(readFileSync(path, 'utf8')) as Partial<Fragment>
    if (typeof value.testFile !== 'string' || typeof value.consumer !== 'string' || typeof value.provider !== 'string') return undefined
    if (!Array.isArray(value.entries)) return undefined
    return value as Fragment
  } catch {
    return undefined
  }
}

/** The expectations of the contract file as it is, to keep those no fragment owns. */
function existingExpectations(text: string | undefined, path: string): Expectation[] {
  if (text === undefined) return []
  let value: { expectations?: unknown }
  try {
    value = JSON.parse(text) as { expectations?: unknown }
  } catch (cause) {
    throw new TreatyError(ErrorCodes.CONTRACT_UNREADABLE, `${path}: not valid JSON, so its expectations cannot be kept`, {
      cause,
      hint: 'restore the file from version control, or delete it to write it anew from this run',
    })
  }
  const list = Array.isArray(value.expectations) ? value.expectations : []
  return list.filter((e): e is Expectation => e !== null && typeof e === 'object' && typeof (e as Expectation).description === 'string')
}

export function fragmentName(testFile: string): string {
  return `${createHash('sha256').update(testFile).digest('hex').slice(0, 24)}.json`
}

/**
 * The file's text, or undefined when there is none. Any other failure (permissions, a directory in its
 * place) is thrown: taken for "no contract", the rebuild would drop every expectation no fragment owns.
 */
function readIfExists(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8')
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined
    throw err
  }
}

/** The names in `dir`, or none when it does not exist. */
export function listIfExists(dir: string): string[] {
  try {
    return readdirSync(dir)
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return []
    throw err
  }
}

function unlinkIfExists(path: string): void {
  try {
    unlinkSync(path)
  } catch {
    // already gone
  }
}

function renamed(from: string, to: string): boolean {
  try {
    renameSync(from, to)
    return true
  } catch {
    return false
  }
}
