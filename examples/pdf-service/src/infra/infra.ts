/**
 * The local infrastructure of the example, as functions: `up`, `down`, `status`, `failover`.
 * The CLI (`infra/pdf-infra`, `npm run up`) and the tests call the same functions.
 */
import { mkdirSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import { jetstreamManager } from '@nats-io/jetstream'
import { FailoverPool } from '../db/failover-pool.js'
import { migrate } from '../db/schema.js'
import { createLogger } from '../log.js'
import { EVENTS_STREAM, REQUESTS_STREAM } from '../nats/topology.js'
import { ensureNatsServer, planNatsNodes, startNatsCluster, stopNatsCluster, withNats } from './nats-cluster.js'
import {
  findPgBinDir,
  makeStateDirTraversable,
  postgresRoles,
  failover as promoteStandby,
  startPostgres,
  stopPostgres,
} from './postgres.js'
import { freePorts, isAlive } from './processes.js'
import { connectionEnv, type InfraState, readState, resolveStateDir, writeState } from './state.js'

export interface UpOptions {
  stateDir?: string
  /** Replicas per stream (3: one per zone; 1 for the benchmark's baseline). */
  replicas?: number
}

export async function up(options: UpOptions = {}): Promise<InfraState> {
  const stateDir = resolveStateDir(options.stateDir)
  const existing = readState(stateDir)
  if (existing && [...existing.nats, ...existing.postgres.nodes].some((node) => isAlive(node.pid))) {
    throw new Error(`infra already running from ${stateDir}: run "down" first`)
  }
  ensureNatsServer()
  const binDir = findPgBinDir()
  rmSync(join(stateDir, 'nats'), { recursive: true, force: true })
  rmSync(join(stateDir, 'pg'), { recursive: true, force: true })
  mkdirSync(stateDir, { recursive: true })
  makeStateDirTraversable(stateDir)
  const [portA, portB] = await freePorts(2)
  const state: InfraState = {
    version: 1,
    stateDir,
    replicas: options.replicas ?? 3,
    nats: await planNatsNodes(stateDir),
    postgres: {
      binDir,
      socketDir: join(stateDir, 'pg', 'sock'),
      database: 'pdf',
      user: 'pdf',
      primary: 'pg-a',
      nodes: [
        { name: 'pg-a', port: portA!, dataDir: join(stateDir, 'pg', 'pg-a'), logFile: join(stateDir, 'pg', 'pg-a.log'), pid: null },
        { name: 'pg-b', port: portB!, dataDir: join(stateDir, 'pg', 'pg-b'), logFile: join(stateDir, 'pg', 'pg-b.log'), pid: null },
      ],
    },
  }
  try {
    // PIDs are written as soon as they exist, so `down` can clean up after a failed `up`.
    await Promise.all([startNatsCluster(state).finally(() => writeState(state)), startPostgres(state).finally(() => writeState(state))])
    const db = new FailoverPool(connectionEnv(state).DATABASE_URL, {
      log: createLogger('pdf-infra', { level: 'warn' }),
      retryForMs: 10_000,
    })
    try {
      await migrate(db)
    } finally {
      await db.close()
    }
  } catch (error) {
    writeState(state)
    throw error
  }
  writeState(state)
  return state
}

export async function down(options: { stateDir?: string; keepData?: boolean } = {}): Promise<void> {
  const stateDir = resolveStateDir(options.stateDir)
  const state = readState(stateDir)
  if (!state) return
  await Promise.all([stopNatsCluster(state), stopPostgres(state)])
  if (!options.keepData) rmSync(stateDir, { recursive: true, force: true })
}

export interface InfraStatus {
  stateDir: string
  nats: { name: string; zone: string; url: string; pid: number | null; alive: boolean }[]
  streams: { name: string; replicas: number; leader: string | null; replicasIn: string[]; messages: number }[]
  postgres: { name: string; port: number; pid: number | null; role: string }[]
  env: ReturnType<typeof connectionEnv>
}

export async function status(options: { stateDir?: string } = {}): Promise<InfraStatus | null> {
  const stateDir = resolveStateDir(options.stateDir)
  const state = readState(stateDir)
  if (!state) return null
  const streams: InfraStatus['streams'] = []
  if (state.nats.some((node) => isAlive(node.pid))) {
    await withNats(state, async (nc) => {
      const jsm = await jetstreamManager(nc, { timeout: 3_000 })
      for (const name of [REQUESTS_STREAM, EVENTS_STREAM]) {
        const info = await jsm.streams.info(name).catch(() => null)
        if (!info) continue
        const zoneOf = (server: string) => state.nats.find((node) => node.name === server)?.zone ?? '?'
        const members = [info.cluster?.leader, ...(info.cluster?.replicas ?? []).map((replica) => replica.name)].filter(
          (name): name is string => !!name,
        )
        streams.push({
          name,
          replicas: info.config.num_replicas,
          leader: info.cluster?.leader ?? null,
          replicasIn: members.map((member) => `${member}@${zoneOf(member)}`),
          messages: info.state.messages,
        })
      }
    })
  }
  const roles = await postgresRoles(state)
  return {
    stateDir,
    nats: state.nats.map((node) => ({
      name: node.name,
      zone: node.zone,
      url: `nats://127.0.0.1:${node.clientPort}`,
      pid: node.pid,
      alive: isAlive(node.pid),
    })),
    streams,
    postgres: state.postgres.nodes.map((node) => ({
      name: node.name,
      port: node.port,
      pid: node.pid,
      role: roles[node.name] ?? 'unknown',
    })),
    env: connectionEnv(state),
  }
}

export async function failover(options: { stateDir?: string } = {}): Promise<{ promoted: string; ms: number }> {
  const stateDir = resolveStateDir(options.stateDir)
  const state = readState(stateDir)
  if (!state) throw new Error(`no infra state in ${stateDir}: run "up" first`)
  const result = await promoteStandby(state)
  writeState(state)
  return result
}
