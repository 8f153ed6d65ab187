/**
 * A single nats-server with JetStream on a free loopback port and a temp dir; it can be killed (SIGKILL, a
 * crash) and started again on the same port and store. Stopped by PID.
 */
import { writeFile } from 'node:fs/promises'
import { freePort } from './ports.mjs'
import { startProcess, type TestProcess } from './process.js'
import { tempDir } from './temp.js'

const NATS_SERVER = process.env.NATS_SERVER ?? process.env.NATS_SERVER_BIN ?? '/usr/sbin/nats-server'

export interface NatsServer {
  url: string
  port: number
  /** The running process (the latest one after `start`). */
  process(): TestProcess
  /** Starts the server again on the same port and store (after `kill`). */
  start(): Promise<void>
  /** Kills the server (SIGKILL): a crash, not a shutdown. */
  kill(): Promise<void>
  stop(): Promise<void>
}

export async function startNatsServer(): Promise<NatsServer> {
  const dir = await tempDir('treaty-nats')
  const port = await freePort()
  const config = dir.join('nats.conf')
  // 8 MB messages: the observe tests send payloads far larger than the 1 MB default.
  await writeFile(config, `listen: "127.0.0.1:${port}"\nmax_payload: 8MB\njetstream { store_dir: ${JSON.stringify(dir.join('js'))} }\n`)
  let current: TestProcess | undefined
  const start = async () => {
    current = await startProcess({
      name: 'nats-server',
      command: NATS_SERVER,
      args: ['-c', config],
      ready: /Server is ready/,
      timeoutMs: 20_000,
    })
  }
  const kill = async () => {
    await current?.kill('SIGKILL')
  }
  await dir.removedIfFails(start)
  return {
    url: `nats://127.0.0.1:${port}`,
    port,
    process: () => current!,
    start,
    kill,
    async stop() {
      await current?.kill('SIGTERM')
      await dir.remove()
    },
  }
}
