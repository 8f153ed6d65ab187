/**
 * A 3-node JetStream cluster on loopback, one node per failure zone. `unique_tag: az` makes the
 * server place each replica of a stream on a node with a different `az:` tag, as it would across
 * real availability zones.
 */
import { spawn, spawnSync } from 'node:child_process'
import { existsSync, mkdirSync, openSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { jetstreamManager, type StreamInfo } from '@nats-io/jetstream'
import { connect, type NatsConnection } from '@nats-io/transport-node'
import { ensureStreams, REQUESTS_STREAM } from '../nats/topology.js'
import { freePorts, isAlive, killHard, stopPid, waitFor } from './processes.js'
import type { InfraState, NatsNodeState } from './state.js'

export const ZONES = ['zone-a', 'zone-b', 'zone-c'] as const
export const NATS_SERVER = process.env.NATS_SERVER ?? '/usr/sbin/nats-server'

/** Finds nats-server; installs Debian's package when we are root with apt-get, else explains how. */
export function ensureNatsServer(): string {
  if (existsSync(NATS_SERVER)) return NATS_SERVER
  const canApt = process.getuid?.() === 0 && spawnSync('which', ['apt-get']).status === 0
  if (canApt) {
    const result = spawnSync('apt-get', ['install', '-y', 'nats-server'], { stdio: 'inherit' })
    if (result.status === 0 && existsSync(NATS_SERVER)) return NATS_SERVER
  }
  throw new Error(
    `nats-server not found at ${NATS_SERVER}: run "sudo apt-get install -y nats-server" (or set NATS_SERVER=/path/to/nats-server)`,
  )
}

export async function planNatsNodes(stateDir: string): Promise<NatsNodeState[]> {
  const ports = await freePorts(ZONES.length * 3)
  return ZONES.map((zone, index) => {
    const name = `nats-${zone.slice(-1)}`
    const dir = join(stateDir, 'nats', name)
    return {
      name,
      zone,
      clientPort: ports[index * 3]!,
      clusterPort: ports[index * 3 + 1]!,
      monitorPort: ports[index * 3 + 2]!,
      configFile: join(dir, 'nats.conf'),
      storeDir: join(dir, 'jetstream'),
      logFile: join(dir, 'nats.log'),
      pid: null,
    }
  })
}

function natsConfig(node: NatsNodeState, all: NatsNodeState[]): string {
  const routes = all.map((peer) => `nats-route://127.0.0.1:${peer.clusterPort}`)
  return `server_name: ${node.name}
listen: 127.0.0.1:${node.clientPort}
http: 127.0.0.1:${node.monitorPort}
server_tags: ["az:${node.zone}"]
jetstream {
  store_dir: ${JSON.stringify(node.storeDir)}
  unique_tag: "az"
  max_memory_store: 64MB
  max_file_store: 2GB
}
cluster {
  name: pdf-cluster
  listen: 127.0.0.1:${node.clusterPort}
  routes: [
    ${routes.join('\n    ')}
  ]
}
`
}

export function startNatsNode(node: NatsNodeState, all: NatsNodeState[]): number {
  const binary = ensureNatsServer()
  mkdirSync(node.storeDir, { recursive: true })
  writeFileSync(node.configFile, natsConfig(node, all))
  const log = openSync(node.logFile, 'a')
  // Detached: the server outlives the script that started it (`up` returns), and we stop it by PID.
  const child = spawn(binary, ['-c', node.configFile], { detached: true, stdio: ['ignore', log, log] })
  child.unref()
  if (!child.pid) throw new Error(`could not start ${node.name}`)
  node.pid = child.pid
  return child.pid
}

export function natsUrls(state: Pick<InfraState, 'nats'>): string[] {
  return state.nats.map((node) => `nats://127.0.0.1:${node.clientPort}`)
}

export async function withNats<T>(state: Pick<InfraState, 'nats'>, fn: (nc: NatsConnection) => Promise<T>): Promise<T> {
  const nc = await connect({
    servers: natsUrls(state),
    name: 'pdf-infra',
    timeout: 3_000,
    maxReconnectAttempts: -1,
    reconnectTimeWait: 200,
  })
  try {
    return await fn(nc)
  } finally {
    await nc.close().catch(() => undefined)
  }
}

/** Starts the three nodes, waits for a JetStream meta leader, creates the streams. */
export async function startNatsCluster(state: InfraState): Promise<void> {
  for (const node of state.nats) startNatsNode(node, state.nats)
  await waitFor(
    'the NATS cluster to elect a JetStream leader and accept the streams',
    async () => {
      for (const node of state.nats) {
        if (!isAlive(node.pid)) throw new Error(`${node.name} exited; see ${node.logFile}`)
      }
      return withNats(state, async (nc) => {
        const jsm = await jetstreamManager(nc, { timeout: 3_000 })
        await ensureStreams(jsm, state.replicas)
        return true
      })
    },
    60_000,
    250,
  )
}

export async function streamInfo(state: Pick<InfraState, 'nats'>, stream = REQUESTS_STREAM): Promise<StreamInfo> {
  return withNats(state, async (nc) => {
    const jsm = await jetstreamManager(nc, { timeout: 3_000 })
    return jsm.streams.info(stream)
  })
}

/** The node (by server name) leading a stream's raft group. */
export async function streamLeader(state: InfraState, stream = REQUESTS_STREAM): Promise<NatsNodeState> {
  const info = await streamInfo(state, stream)
  const leader = state.nats.find((node) => node.name === info.cluster?.leader)
  if (!leader) throw new Error(`stream ${stream} has no leader yet (cluster: ${JSON.stringify(info.cluster)})`)
  return leader
}

export function killNatsNode(node: NatsNodeState): void {
  if (isAlive(node.pid)) killHard(node.pid)
}

export async function stopNatsCluster(state: InfraState): Promise<void> {
  await Promise.all(state.nats.map((node) => stopPid(node.pid)))
}
