/** Starts a real nats-server with JetStream on a free loopback port and a temp store dir; stops it by PID. */
import { type ChildProcess, spawn } from 'node:child_process'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

export interface NatsProcess {
  url: string
  stop(): Promise<void>
}

export async function startNatsServer(): Promise<NatsProcess> {
  const dir = await mkdtemp(join(tmpdir(), 'treaty-nats-'))
  const bin = process.env.NATS_SERVER_BIN ?? 'nats-server'
  const child: ChildProcess = spawn(bin, ['-js', '-a', '127.0.0.1', '-p', '-1', '-sd', dir], { stdio: ['ignore', 'pipe', 'pipe'] })
  let log = ''
  const listening = new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`nats-server did not start within 20 s:\n${log}`)), 20_000)
    const read = (d: Buffer) => {
      log += d
      const m = /Listening for client connections on (127\.0\.0\.1:\d+)/.exec(log)
      if (m) {
        clearTimeout(timer)
        resolve(`nats://${m[1]}`)
      }
    }
    child.stdout!.on('data', read)
    child.stderr!.on('data', read)
    child.on('error', (err) => reject(new Error(`cannot run ${bin}: ${err.message}`)))
    child.on('exit', (code) => reject(new Error(`nats-server exited (${code}) before listening:\n${log}`)))
  })
  const url = await listening.catch(async (error: unknown) => {
    child.kill('SIGKILL')
    await rm(dir, { recursive: true, force: true })
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
      await rm(dir, { recursive: true, force: true })
    },
  }
}
