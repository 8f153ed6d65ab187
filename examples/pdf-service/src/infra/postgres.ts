/**
 * A PostgreSQL primary and a streaming standby on loopback. Replication is synchronous: the
 * primary acknowledges a commit only once the standby has flushed it, so a job that got its 202
 * survives the loss of the primary. PostgreSQL refuses to run as root: every server binary runs as
 * the `postgres` OS user.
 */
import { spawnSync } from 'node:child_process'
import { chmodSync, chownSync, existsSync, mkdirSync, readdirSync, readFileSync, statSync } from 'node:fs'
import { dirname, join } from 'node:path'
import pg from 'pg'
import { isAlive, killHard, run, stopPid, waitFor, waitForExit } from './processes.js'
import type { InfraState, PostgresNodeState } from './state.js'

const STANDBY_NAME = 'standby1'

/** Finds the newest `/usr/lib/postgresql/<v>/bin` (or `PG_BINDIR`). */
export function findPgBinDir(): string {
  if (process.env.PG_BINDIR) return process.env.PG_BINDIR
  const root = '/usr/lib/postgresql'
  const versions = existsSync(root)
    ? readdirSync(root)
        .filter((entry) => existsSync(join(root, entry, 'bin', 'postgres')))
        .sort((a, b) => Number(b) - Number(a))
    : []
  if (versions.length === 0)
    throw new Error('PostgreSQL server binaries not found: run "sudo apt-get install -y postgresql" (or set PG_BINDIR)')
  return join(root, versions[0]!, 'bin')
}

interface OsUser {
  uid: number
  gid: number
}

function postgresUser(): OsUser | null {
  if (process.getuid?.() !== 0) return null
  const uid = spawnSync('id', ['-u', 'postgres']).stdout?.toString().trim()
  const gid = spawnSync('id', ['-g', 'postgres']).stdout?.toString().trim()
  if (!uid || !gid) throw new Error('running as root but there is no "postgres" OS user: run "sudo apt-get install -y postgresql"')
  return { uid: Number(uid), gid: Number(gid) }
}

/** Runs a PostgreSQL binary, as `postgres` when we are root. */
async function pgRun(binDir: string, binary: string, args: string[]) {
  const path = join(binDir, binary)
  return postgresUser() ? run('runuser', ['-u', 'postgres', '--', path, ...args]) : run(path, args)
}

function ownedDir(dir: string): void {
  mkdirSync(dir, { recursive: true, mode: 0o700 })
  const user = postgresUser()
  if (user) chownSync(dir, user.uid, user.gid)
}

function serverOptions(node: PostgresNodeState, socketDir: string, extra: string[] = []): string {
  return [
    `-p ${node.port}`,
    "-c listen_addresses='127.0.0.1'",
    `-c unix_socket_directories='${socketDir}'`,
    '-c max_wal_senders=5',
    '-c max_replication_slots=5',
    '-c wal_level=replica',
    '-c hot_standby=on',
    '-c max_connections=100',
    '-c shared_buffers=64MB',
    ...extra,
  ].join(' ')
}

async function startServer(state: InfraState, node: PostgresNodeState, extra: string[] = []): Promise<void> {
  const { binDir, socketDir } = state.postgres
  await pgRun(binDir, 'pg_ctl', [
    '-D',
    node.dataDir,
    '-l',
    node.logFile,
    '-w',
    '-t',
    '60',
    '-o',
    serverOptions(node, socketDir, extra),
    'start',
  ])
  node.pid = readPostmasterPid(node)
}

function readPostmasterPid(node: PostgresNodeState): number {
  const pid = Number(readFileSync(join(node.dataDir, 'postmaster.pid'), 'utf8').split('\n')[0])
  if (!Number.isInteger(pid) || pid <= 0) throw new Error(`no postmaster.pid in ${node.dataDir}`)
  return pid
}

export function adminClient(node: PostgresNodeState, database = 'postgres'): pg.Client {
  return new pg.Client({ host: '127.0.0.1', port: node.port, user: 'postgres', database, connectionTimeoutMillis: 3_000 })
}

async function sql<T extends pg.QueryResultRow>(node: PostgresNodeState, text: string, database = 'postgres'): Promise<T[]> {
  const client = adminClient(node, database)
  client.on('error', () => undefined) // a dying server also fails the query below
  await client.connect()
  try {
    return (await client.query<T>(text)).rows
  } finally {
    await client.end()
  }
}

export function primaryNode(state: InfraState): PostgresNodeState {
  return state.postgres.nodes.find((node) => node.name === state.postgres.primary)!
}

export function standbyNode(state: InfraState): PostgresNodeState {
  return state.postgres.nodes.find((node) => node.name !== state.postgres.primary)!
}

/** initdb, primary, replication slot, base backup, standby, then synchronous replication on. */
export async function startPostgres(state: InfraState): Promise<void> {
  const { binDir, socketDir } = state.postgres
  const primary = primaryNode(state)
  const standby = standbyNode(state)
  ownedDir(join(state.stateDir, 'pg'))
  ownedDir(socketDir)
  ownedDir(primary.dataDir)

  await pgRun(binDir, 'initdb', ['-D', primary.dataDir, '-U', 'postgres', '--auth=trust', '--encoding=UTF8', '--locale=C', '--no-sync'])
  // Loopback only, trust: a local example. A real deployment uses scram and TLS.
  await run('sh', [
    '-c',
    `printf 'host all all 127.0.0.1/32 trust\\nhost replication all 127.0.0.1/32 trust\\n' >> '${join(primary.dataDir, 'pg_hba.conf')}'`,
  ])
  await startServer(state, primary)

  await sql(primary, `CREATE ROLE ${state.postgres.user} LOGIN`)
  await sql(primary, `CREATE DATABASE ${state.postgres.database} OWNER ${state.postgres.user}`)
  await sql(primary, `SELECT pg_create_physical_replication_slot('${STANDBY_NAME}')`)

  ownedDir(standby.dataDir)
  await pgRun(binDir, 'pg_basebackup', [
    '-h',
    '127.0.0.1',
    '-p',
    String(primary.port),
    '-U',
    'postgres',
    '-D',
    standby.dataDir,
    '-R',
    '-S',
    STANDBY_NAME,
    '-X',
    'stream',
    '-c',
    'fast',
    '--no-sync',
  ])
  // cluster_name doubles as the walreceiver's application_name, which synchronous_standby_names matches.
  await startServer(state, standby, [`-c cluster_name=${STANDBY_NAME}`])
  await waitFor(
    'the standby to stream from the primary',
    async () => (await sql<{ state: string }>(primary, 'SELECT state FROM pg_stat_replication')).some((row) => row.state === 'streaming'),
    30_000,
  )
  // Set on the primary only, after the base backup: the promoted standby must not wait for a standby of its own.
  await sql(primary, `ALTER SYSTEM SET synchronous_standby_names = '${STANDBY_NAME}'`)
  await sql(primary, 'SELECT pg_reload_conf()')
  await waitFor(
    'synchronous replication',
    async () =>
      (await sql<{ sync_state: string }>(primary, 'SELECT sync_state FROM pg_stat_replication')).some((row) => row.sync_state === 'sync'),
    30_000,
  )
}

export function killPostgresNode(node: PostgresNodeState): void {
  if (isAlive(node.pid)) killHard(node.pid)
}

/**
 * Promotes the standby. A primary that is still running is stopped first (fencing): two nodes
 * accepting writes would split the data.
 */
export async function failover(state: InfraState): Promise<{ promoted: string; ms: number }> {
  const started = Date.now()
  const oldPrimary = primaryNode(state)
  const standby = standbyNode(state)
  if (isAlive(oldPrimary.pid)) await stopPid(oldPrimary.pid, 10_000, 'SIGINT')
  else if (oldPrimary.pid) await waitForExit(oldPrimary.pid, 5_000)
  await pgRun(state.postgres.binDir, 'pg_ctl', ['-D', standby.dataDir, '-w', '-t', '60', 'promote'])
  state.postgres.primary = standby.name
  return { promoted: standby.name, ms: Date.now() - started }
}

export async function postgresRoles(state: InfraState): Promise<Record<string, string>> {
  const roles: Record<string, string> = {}
  for (const node of state.postgres.nodes) {
    if (!isAlive(node.pid)) {
      roles[node.name] = 'down'
      continue
    }
    try {
      const [row] = await sql<{ recovery: boolean }>(node, 'SELECT pg_is_in_recovery() AS recovery')
      roles[node.name] = row?.recovery ? 'standby' : 'primary'
    } catch (error) {
      roles[node.name] = `unreachable (${error instanceof Error ? error.message : String(error)})`
    }
  }
  return roles
}

export async function stopPostgres(state: InfraState): Promise<void> {
  // Standby first: a primary with synchronous replication could otherwise wait on it while shutting down.
  // SIGINT is PostgreSQL's fast shutdown (SIGTERM would wait for every client to leave).
  for (const node of [standbyNode(state), primaryNode(state)]) await stopPid(node.pid, 10_000, 'SIGINT')
}

export function makeStateDirTraversable(dir: string): void {
  // The postgres user must reach its data dirs inside our state dir, and so through every parent.
  chmodSync(dir, 0o755)
  if (!postgresUser()) return
  for (let parent = dirname(dir); parent !== dirname(parent); parent = dirname(parent)) {
    if ((statSync(parent).mode & 0o001) === 0) {
      throw new Error(
        `the postgres user cannot enter ${parent} (mode ${(statSync(parent).mode & 0o777).toString(8)}): choose a state dir under a world-traversable path`,
      )
    }
  }
}
