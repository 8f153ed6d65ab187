/** Starts `treaty broker` as a child process on a free port with a temp data dir; stops it by PID. */
import { type ChildProcess, spawn } from 'node:child_process'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { bin } from './treaty.js'

export interface BrokerProcess {
  url: string
  stop(): Promise<void>
}

export async function startBrokerProcess(
  env: Record<string, string> = {},
  startTimeoutMs = 180_000,
  flags: readonly string[] = [],
): Promise<BrokerProcess> {
  const dataDir = await mkdtemp(join(tmpdir(), 'treaty-cli-broker-'))
  const child: ChildProcess = spawn(process.execPath, [bin, 'broker', '--port', '0', '--data-dir', join(dataDir, 'data'), ...flags], {
    env: { ...process.env, LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let output = ''
  const started = new Promise<string>((resolve, reject) => {
    // Generous: on a loaded shared machine, PGlite's first start (WASM compile, migrations) has taken over a minute.
    const timer = setTimeout(() => reject(new Error(`broker did not start within ${startTimeoutMs / 1000} s:\n${output}`)), startTimeoutMs)
    child.stdout!.on('data', (d) => {
      output += d
      const m = /listening on (http:\/\/[^\s]+)/.exec(output)
      if (m) {
        clearTimeout(timer)
        resolve(m[1]!)
      }
    })
    child.stderr!.on('data', (d) => (output += d))
    child.on('exit', (code) => reject(new Error(`broker exited (${code}) before listening:\n${output}`)))
  })
  // A broker that never said it listens is still ours to stop (by PID), with its data dir.
  const url = await started.catch(async (error: unknown) => {
    child.kill('SIGKILL')
    await rm(dataDir, { recursive: true, force: true })
    throw error
  })
  return {
    url,
    async stop() {
      if (child.exitCode === null) {
        const exited = new Promise((r) => child.once('exit', r))
        child.kill('SIGTERM')
        await exited
      }
      await rm(dataDir, { recursive: true, force: true })
    },
  }
}
