/** A single nats-server with JetStream on a free loopback port and a temp dir; stopped by PID. Prints its log when it fails to start. */
import { type ChildProcess, spawn } from 'node:child_process'
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { createServer, connect as tcpConnect } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

const NATS_SERVER = process.env.NATS_SERVER ?? '/usr/sbin/nats-server'

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer()
    srv.once('error', reject)
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as { port: number }).port
      srv.close(() => resolve(port))
    })
  })
}

export async function waitForPort(port: number, timeoutMs: number): Promise<boolean> {
  const until = Date.now() + timeoutMs
  while (Date.now() < until) {
    const open = await new Promise<boolean>((resolve) => {
      const s = tcpConnect(port, '127.0.0.1')
      s.once('connect', () => {
        s.destroy()
        resolve(true)
      })
      s.once('error', () => resolve(false))
    })
    if (open) return true
    await new Promise((r) => setTimeout(r, 50))
  }
  return false
}

export interface NatsServer {
  url: string
  port: number
  /** Starts the server again on the same port and store (after `kill`). */
  start(): Promise<void>
  /** Kills the server (SIGKILL): a crash, not a shutdown. */
  kill(): Promise<void>
  stop(): Promise<void>
}

export async function startNatsServer(): Promise<NatsServer> {
  const dir = await mkdtemp(join(tmpdir(), 'treaty-observe-nats-'))
  const port = await freePort()
  const log = join(dir, 'nats.log')
  const config = join(dir, 'nats.conf')
  let child: ChildProcess | undefined
  const start = async () => {
    // 8 MB messages: the tests send payloads far larger than the 1 MB default.
    await writeFile(config, `listen: "127.0.0.1:${port}"\nmax_payload: 8MB\njetstream { store_dir: ${JSON.stringify(join(dir, 'js'))} }\n`)
    child = spawn(NATS_SERVER, ['-c', config, '-l', log], { stdio: 'ignore' })
    if (!(await waitForPort(port, 10_000))) {
      const text = await readFile(log, 'utf8').catch(() => '(no log)')
      child.kill('SIGKILL')
      throw new Error(`nats-server did not start on ${port}:\n${text}`)
    }
  }
  const kill = async () => {
    const c = child
    if (!c || c.exitCode !== null || c.signalCode !== null) return
    const exited = new Promise((r) => c.once('exit', r))
    process.kill(c.pid!, 'SIGKILL')
    await exited
  }
  await start()
  return {
    url: `nats://127.0.0.1:${port}`,
    port,
    start,
    kill,
    async stop() {
      await kill()
      await rm(dir, { recursive: true, force: true })
    },
  }
}
