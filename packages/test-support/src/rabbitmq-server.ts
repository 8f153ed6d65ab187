/**
 * A RabbitMQ node of our own: free AMQP and distribution ports, a unique node name, its data, logs, config,
 * plugins file and Erlang cookie in a temp dir (HOME too), so it shares nothing with a RabbitMQ the machine
 * may already run on 5672 (it only registers its unique name with the machine's epmd). Stopped by PID.
 */
import { randomBytes } from 'node:crypto'
import { chmod, mkdir, readdir, readFile, writeFile } from 'node:fs/promises'
import amqp from 'amqplib'
import { freePort } from './ports.mjs'
import { startProcess, type TestProcess } from './process.js'
import { tempDir } from './temp.js'

const RABBITMQ_SERVER = process.env.RABBITMQ_SERVER ?? '/usr/lib/rabbitmq/bin/rabbitmq-server'

export interface RabbitServer {
  url: string
  /** Starts the node again (same name, port and data) after `stop({ keepData: true })`. */
  start(): Promise<void>
  stop(options?: { keepData?: boolean }): Promise<void>
}

export async function startRabbitServer(timeoutMs = 150_000): Promise<RabbitServer> {
  const dir = await tempDir('treaty-rabbit')
  const [port, distPort] = [await freePort(), await freePort()]
  const name = `treaty-test-${randomBytes(4).toString('hex')}@localhost`
  await mkdir(dir.join('log'))
  await writeFile(dir.join('enabled_plugins'), '[].\n')
  await writeFile(dir.join('rabbitmq.conf'), `listeners.tcp.default = 127.0.0.1:${port}\nloopback_users = none\n`)
  await writeFile(dir.join('rabbitmq-env.conf'), '')
  await writeFile(dir.join('.erlang.cookie'), randomBytes(16).toString('hex'))
  await chmod(dir.join('.erlang.cookie'), 0o400)
  const env = {
    ...process.env,
    HOME: dir.path,
    RABBITMQ_NODENAME: name,
    RABBITMQ_NODE_IP_ADDRESS: '127.0.0.1',
    RABBITMQ_NODE_PORT: String(port),
    RABBITMQ_DIST_PORT: String(distPort),
    RABBITMQ_MNESIA_BASE: dir.join('mnesia'),
    RABBITMQ_LOG_BASE: dir.join('log'),
    RABBITMQ_CONFIG_FILE: dir.join('rabbitmq.conf'),
    RABBITMQ_CONF_ENV_FILE: dir.join('rabbitmq-env.conf'),
    RABBITMQ_ENABLED_PLUGINS_FILE: dir.join('enabled_plugins'),
    RABBITMQ_PID_FILE: dir.join('rabbit.pid'),
  }
  const url = `amqp://guest:guest@127.0.0.1:${port}`
  let current: TestProcess | undefined
  const start = async () => {
    try {
      current = await startProcess({
        name: `rabbitmq-server ${name}`,
        command: RABBITMQ_SERVER,
        cwd: dir.path,
        env,
        // Ready when AMQP answers: the port opens before the node accepts connections.
        ready: async () => {
          const c = await amqp.connect(url)
          await c.close()
          return url
        },
        timeoutMs,
      })
    } catch (error) {
      // The node's own log files say why it did not start; the script's output rarely does.
      const logs = await readdir(dir.join('log')).catch(() => [] as string[])
      const text = (await Promise.all(logs.map((f) => readFile(dir.join('log', f), 'utf8').catch(() => '')))).join('\n')
      throw new Error(`${(error as Error).message}\n--- node logs ---\n${text.slice(-5000)}`)
    }
  }
  await start()
  return {
    url,
    start,
    async stop(options = {}) {
      // SIGTERM to the script we started: it stops its Erlang VM and exits.
      await current?.kill('SIGTERM')
      if (!options.keepData) await dir.remove()
    },
  }
}
