/**
 * When a consumer test file's expectations are written: once, when the file finishes.
 *
 * Under vitest, the first `verify()` of a test file appends an `afterAll` hook to that file's suite
 * (through vitest's public `TestRunner.getSuiteHooks`), so nothing needs configuring. The hook decides
 * whether the file's run was complete (every test ran and passed) and flushes each contract the file
 * touched; after a complete run it also releases fragments of contracts the file no longer declares.
 * Outside vitest (a script), or when no test is current (a hook), every `verify()` writes at once as a
 * partial run, which never removes anything.
 */
import { join, resolve } from 'node:path'
import { ContractRecorder, fragmentName, listIfExists, type RecorderOptions, readFragment } from '../contract/recorder.js'
import { withHintShown } from '../errors.js'

/** The parts of vitest's task tree read here (typed locally: `@treaty/core` must not import vitest). */
interface Task {
  type: string
  mode: string
  result?: { state: string }
  tasks?: Task[]
}
interface FileTask extends Task {
  filepath: string
}
interface VitestApi {
  expect: { getState(): { testPath?: string } }
  TestRunner?: {
    getCurrentTest?(): { file?: FileTask } | undefined
    getSuiteHooks?(suite: FileTask): { afterAll: ((suite: FileTask) => unknown)[] } | undefined
  }
}

let vitest: Promise<VitestApi | undefined> | undefined
function loadVitest(): Promise<VitestApi | undefined> {
  if (!process.env.VITEST) return Promise.resolve(undefined)
  vitest ??= import('vitest').then(
    (m) => m as unknown as VitestApi,
    () => undefined,
  )
  return vitest
}

/** One recorder per contract per process, shared by every `messageContract()` of that pair and dir. */
const recorders = new Map<string, ContractRecorder>()
/** Test files whose end is hooked, so each is settled exactly once. */
const hooked = new WeakSet<FileTask>()

export function recorderFor(options: RecorderOptions): ContractRecorder {
  const fresh = new ContractRecorder(options)
  const known = recorders.get(fresh.fragmentDir)
  if (known) return known
  recorders.set(fresh.fragmentDir, fresh)
  return fresh
}

/** The test file running now and whether its expectations wait for the file's end to be written. */
export async function currentTestFile(): Promise<{ file: string; deferred: boolean }> {
  const api = await loadVitest()
  const task = api?.TestRunner?.getCurrentTest?.()?.file
  if (api && task) {
    if (hooked.has(task)) return { file: task.filepath, deferred: true }
    const hooks = api.TestRunner?.getSuiteHooks?.(task)
    if (hooks) {
      hooked.add(task)
      hooks.afterAll.push((file: FileTask) => settleFile(file.filepath, ranCompletely(file)))
      return { file: task.filepath, deferred: true }
    }
  }
  const path = api?.expect.getState().testPath
  return { file: path ?? resolve(process.argv[1] ?? 'script'), deferred: false }
}

/** Every test in the file ran (no filter, `.only`, `.skip`, `.todo`) and passed. */
export function ranCompletely(task: Task): boolean {
  if (task.type === 'test') return (task.mode === 'run' || task.mode === 'only') && task.result?.state === 'pass'
  if (task.mode === 'skip' || task.mode === 'todo' || task.result?.state === 'fail') return false
  return (task.tasks ?? []).every(ranCompletely)
}

/**
 * Flushes every contract `testFile` touched in this process. After a complete run, a contract it holds
 * a fragment of without having touched it this time (it stopped declaring the pair) is released.
 */
export async function settleFile(testFile: string, complete: boolean): Promise<void> {
  const errors: unknown[] = []
  const touched = new Set<string>()
  for (const recorder of recorders.values()) {
    if (!recorder.pendingFiles().includes(testFile)) continue
    touched.add(recorder.fragmentDir)
    await recorder.flush(testFile, complete).catch((err: unknown) => errors.push(err))
  }
  if (complete) {
    const dirs = new Set([...recorders.values()].map((r) => r.dir))
    for (const dir of dirs) {
      for (const pairDir of listIfExists(join(dir, '.treaty'))) {
        const fragmentDir = join(dir, '.treaty', pairDir)
        if (touched.has(fragmentDir)) continue
        const fragment = readFragment(join(fragmentDir, fragmentName(testFile)))
        if (!fragment) continue
        const recorder = recorderFor({ dir, consumer: fragment.consumer, provider: fragment.provider })
        await recorder.flush(testFile, true).catch((err: unknown) => errors.push(err))
      }
    }
  }
  if (errors.length > 0) throw withHintShown(errors[0])
}
