/**
 * A RabbitMQ node of our own: free AMQP and distribution ports, a unique node name, its data, logs, config,
 * plugins file and Erlang cookie in a temp dir (HOME too), so it shares nothing with a RabbitMQ the machine
 * may already run on 5672 (it only registers its unique name with the machine's epmd). Stopped by PID.
 */
import { type ChildProcess, spawn } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { chmod, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import amqp from 'amqplib'
import { freePort } from './nats-server.js'

const RABBITMQ_SERVER = process.env.RABBITMQ_SERVER ?? '/usr/lib/rabbitmq/bin/rabbitmq-server'

export interface RabbitServer {
  url: string
  /** Starts the node again (same name, port and data) after `stop({ keepData: true })`. */
  start(): Promise<void>
  stop(options?: { keepData?: boolean }): Promise<void>
}

export async function startRabbitServer(timeoutMs = 150_000): Promise<RabbitServer> {
  const dir = await mkdtemp(join(tmpdir(), 'treaty-observe-rabbit-'))
  const [port, distPort] = [await freePort(), await freePort()]
  const name = `treaty-observe-${randomBytes(4).toString('hex')}@localhost`
  await mkdir(join(dir, 'log'))
  await writeFile(join(dir, 'enabled_plugins'), '[].\n')
  await writeFile(join(dir, 'rabbitmq.conf'), `listeners.tcp.default = 127.0.0.1:${port}\nloopback_users = none\n`)
  await writeFile(join(dir, 'rabbitmq-env.conf'), '')
  await writeFile(join(dir, '.erlang.cookie'), randomBytes(16).toString('hex'))
  await chmod(join(dir, '.erlang.cookie'), 0o400)
  const env = {
    ...process.env,
    HOME: dir,
    RABBITMQ_NODENAME: name,
    RABBITMQ_NODE_IP_ADDRESS: '127.0.0.1',
    RABBITMQ_NODE_PORT: String(port),
    RABBITMQ_DIST_PORT: String(distPort),
    RABBITMQ_MNESIA_BASE: join(dir, 'mnesia'),
    RABBITMQ_LOG_BASE: join(dir, 'log'),
    RABBITMQ_CONFIG_FILE: join(dir, 'rabbitmq.conf'),
    RABBITMQ_CONF_ENV_FILE: join(dir, 'rabbitmq-env.conf'),
    RABBITMQ_ENABLED_PLUGINS_FILE: join(dir, 'enabled_plugins'),
    RABBITMQ_PID_FILE: join(dir, 'rabbit.pid'),
  }
  const url = `amqp://guest:guest@127.0.0.1:${port}`
  let child: ChildProcess | undefined
  let output = ''
  const start = async () => {
    child = spawn(RABBITMQ_SERVER, [], { env, cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] })
    child.stdout!.on('data', (d) => (output = (output + d).slice(-20_000)))
    child.stderr!.on('data', (d) => (output = (output + d).slice(-20_000)))
    const until = Date.now() + timeoutMs
    while (Date.now() < until) {
      if (child.exitCode !== null) break
      const c = await amqp.connect(url).catch(() => undefined)
      if (c) {
        await c.close()
        return
      }
      await new Promise((r) => setTimeout(r, 500))
    }
    const logs = await readdir(join(dir, 'log')).catch(() => [] as string[])
    const text = (await Promise.all(logs.map((f) => readFile(join(dir, 'log', f), 'utf8').catch(() => '')))).join('\n')
    await stopChild()
    throw new Error(`rabbitmq-server ${name} did not accept AMQP on ${port}:\n${output}\n${text.slice(-5000)}`)
  }
  /** SIGTERM to the script we started: it stops its Erlang VM and exits. */
  const stopChild = async () => {
    const c = child
    if (!c || c.exitCode !== null || c.signalCode !== null) return
    const exited = new Promise((r) => c.once('exit', r))
    process.kill(c.pid!, 'SIGTERM')
    await exited
  }
  await start()
  return {
    url,
    start,
    async stop(options = {}) {
      await stopChild()
      if (!options.keepData) await rm(dir, { recursive: true, force: true })
    },
  }
}
