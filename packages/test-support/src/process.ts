/**
 * A process a test starts: spawned with its output kept, ready when a line says so (or a probe answers),
 * stopped by PID. A process that fails to start is killed and its log is in the error, so a red test says
 * why the server did not come up instead of only that it timed out.
 */
import { type ChildProcess, spawn } from 'node:child_process'

/** Output kept per process: the start of a server's log is what explains a failure, the tail what it did last. */
const KEPT = 200_000

export interface StartOptions {
  /** Names the process in errors (`nats-server`, `broker`). */
  name: string
  command: string
  args?: string[]
  env?: NodeJS.ProcessEnv
  cwd?: string
  /**
   * Ready when the output (stdout and stderr) matches: the first capture group (else the match) is `ready`,
   * e.g. the URL a server prints. A function is polled instead (e.g. a protocol handshake) until it returns
   * a value.
   */
  ready: RegExp | ((output: string) => Promise<string | undefined>)
  timeoutMs?: number
  /** Its own process group, so `kill` reaches its children too (a service that forks workers). */
  group?: boolean
}

export interface TestProcess {
  pid: number
  child: ChildProcess
  /** What told that the process was ready: the ready pattern's first capture group (a URL), or the probe's answer. */
  ready: string
  /** Everything the process wrote so far (stdout and stderr interleaved). */
  output(): string
  /** Resolves with the exit code (or the signal's name) once the process has exited. */
  exited: Promise<number | string>
  /** Sends a signal by PID (to the group with `group`) and waits for the exit; a no-op once exited. */
  kill(signal?: NodeJS.Signals): Promise<number | string>
}

export async function startProcess(options: StartOptions): Promise<TestProcess> {
  const timeoutMs = options.timeoutMs ?? 30_000
  const child = spawn(options.command, options.args ?? [], {
    cwd: options.cwd,
    env: options.env ?? process.env,
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: options.group ?? false,
  })
  let out = ''
  const keep = (d: Buffer) => {
    out += d.toString()
    if (out.length > KEPT) out = `${out.slice(0, KEPT / 2)}\n…\n${out.slice(-KEPT / 2)}`
  }
  child.stdout!.on('data', keep)
  child.stderr!.on('data', keep)
  const exited = new Promise<number | string>((resolve) => {
    child.once('exit', (code, signal) => resolve(code ?? signal ?? 'unknown'))
    child.once('error', (err) => resolve(`not started: ${err.message}`))
  })
  const kill = async (signal: NodeJS.Signals = 'SIGTERM') => {
    if (child.pid !== undefined && child.exitCode === null && child.signalCode === null) {
      try {
        process.kill(options.group ? -child.pid : child.pid, signal)
      } catch {
        // exited in between
      }
    }
    return exited
  }
  const failed = (why: string) => new Error(`${options.name} ${why}\n--- ${options.name} output ---\n${out || '(none)'}`)
  const ready = await new Promise<string>((resolve, reject) => {
    let done = false
    const finish = (error: Error | undefined, value = '') => {
      if (done) return
      done = true
      clearTimeout(timer)
      child.stdout!.off('data', check)
      child.stderr!.off('data', check)
      if (error) reject(error)
      else resolve(value)
    }
    const timer = setTimeout(() => finish(failed(`did not become ready within ${timeoutMs / 1000} s`)), timeoutMs)
    const check = () => {
      if (!(options.ready instanceof RegExp)) return
      const m = options.ready.exec(out)
      if (m) finish(undefined, m[1] ?? m[0])
    }
    child.stdout!.on('data', check)
    child.stderr!.on('data', check)
    void exited.then((code) => finish(failed(`exited (${code}) before it was ready`)))
    const probe = options.ready
    if (typeof probe === 'function') {
      void (async () => {
        while (!done) {
          const answer = await probe(out).catch(() => undefined)
          if (answer !== undefined) return finish(undefined, answer)
          await new Promise((r) => setTimeout(r, 250))
        }
      })()
    }
  }).catch(async (error: unknown) => {
    // Never leave behind a process that did not come up: it is ours, by PID.
    await kill('SIGKILL')
    throw error
  })
  return { pid: child.pid!, child, ready, output: () => out, exited, kill }
}
