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

export async function startBrokerProcess(env: Record<string, string> = {}): Promise<BrokerProcess> {
  const dataDir = await mkdtemp(join(tmpdir(), 'treaty-cli-broker-'))
  const child: ChildProcess = spawn(process.execPath, [bin, 'broker', '--port', '0', '--data-dir', join(dataDir, 'data')], {
    env: { ...process.env, LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let output = ''
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`broker did not start within 120 s:\n${output}`)), 120_000)
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
