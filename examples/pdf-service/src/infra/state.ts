/**
 * The infra state dir: one JSON file that says which ports, PIDs and data dirs the local cluster
 * uses, so `down`, `status` and `failover` (and the tests) act only on what `up` started.
 */
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

export interface NatsNodeState {
  name: string
  zone: string
  clientPort: number
  clusterPort: number
  monitorPort: number
  configFile: string
  storeDir: string
  logFile: string
  pid: number | null
}

export interface PostgresNodeState {
  name: 'pg-a' | 'pg-b'
  port: number
  dataDir: string
  logFile: string
  pid: number | null
}

export interface InfraState {
  version: 1
  stateDir: string
  replicas: number
  nats: NatsNodeState[]
  postgres: {
    binDir: string
    socketDir: string
    database: string
    user: string
    /** Name of the node that currently accepts writes; the other one is the standby (or dead). */
    primary: PostgresNodeState['name']
    nodes: PostgresNodeState[]
  }
}

export const DEFAULT_STATE_DIR = join(tmpdir(), 'treaty-pdf-service')

export function resolveStateDir(dir?: string): string {
  return dir ?? process.env.PDF_INFRA_DIR ?? DEFAULT_STATE_DIR
}

const stateFile = (dir: string) => join(dir, 'state.json')

export function readState(dir: string): InfraState | null {
  const file = stateFile(dir)
  if (!existsSync(file)) return null
  return JSON.parse(readFileSync(file, 'utf8')) as InfraState
}

export function writeState(state: InfraState): void {
  mkdirSync(state.stateDir, { recursive: true })
  const file = stateFile(state.stateDir)
  // Write-then-rename: a reader never sees half a file, even if `up` is interrupted.
  writeFileSync(`${file}.tmp`, `${JSON.stringify(state, null, 2)}\n`)
  renameSync(`${file}.tmp`, file)
}

/** The connection settings services need, derived from the state. */
export function connectionEnv(state: InfraState): { NATS_URLS: string; DATABASE_URL: string } {
  const hosts = state.postgres.nodes.map((node) => `127.0.0.1:${node.port}`).join(',')
  return {
    NATS_URLS: state.nats.map((node) => `nats://127.0.0.1:${node.clientPort}`).join(','),
    DATABASE_URL: `postgresql://${state.postgres.user}@${hosts}/${state.postgres.database}?target_session_attrs=read-write`,
  }
}
