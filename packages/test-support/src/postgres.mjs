// A throwaway PostgreSQL server for tests and benchmarks: initdb into a temp dir, start `postgres` on a free
// loopback port, stop it by PID at the end. Never touches the machine's own PostgreSQL. When DATABASE_URL is
// set, a fresh database on that server is used instead (and dropped at the end).
// Plain JavaScript so the benchmarks (bench/broker, bench/broker-memory: node without a build step) share it with the tests.
import { execFileSync, spawn } from 'node:child_process'
import { chownSync, existsSync, mkdirSync, mkdtempSync, openSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import pg from 'pg'
import { freePort } from './ports.mjs'

/** Directory of initdb/postgres: `pg_config --bindir`, else the newest /usr/lib/postgresql/N/bin. */
export function postgresBinDir() {
  const candidates = []
  try {
    candidates.push(execFileSync('pg_config', ['--bindir'], { encoding: 'utf8' }).trim())
  } catch {
    // pg_config is not on PATH: look where Debian and Ubuntu put the server binaries.
  }
  if (existsSync('/usr/lib/postgresql')) {
    const versions = readdirSync('/usr/lib/postgresql')
      .filter((v) => /^\d+$/.test(v))
      .sort((a, b) => Number(b) - Number(a))
    for (const v of versions) candidates.push(`/usr/lib/postgresql/${v}/bin`)
  }
  const found = candidates.find((dir) => existsSync(join(dir, 'initdb')) && existsSync(join(dir, 'postgres')))
  if (!found) throw new Error('no PostgreSQL server binaries found (initdb, postgres); install postgresql or set DATABASE_URL')
  return found
}

/** PostgreSQL refuses to run as root: run it as the `postgres` OS user then. */
function runAs() {
  if (typeof process.getuid !== 'function' || process.getuid() !== 0) return undefined
  const line = readFileSync('/etc/passwd', 'utf8')
    .split('\n')
    .find((l) => l.startsWith('postgres:'))
  if (!line) throw new Error('running as root, and there is no "postgres" user to run PostgreSQL as')
  const [, , uid, gid] = line.split(':')
  return { uid: Number(uid), gid: Number(gid) }
}

async function waitUntilReady(url, child, logFile, timeoutMs = 30_000) {
  const deadline = Date.now() + timeoutMs
  let lastError
  while (Date.now() < deadline) {
    if (child.exitCode !== null) break
    const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 1_000 })
    try {
      await client.connect()
      await client.query('SELECT 1')
      await client.end()
      return
    } catch (err) {
      lastError = err
      await client.end().catch(() => {})
      await new Promise((r) => setTimeout(r, 100))
    }
  }
  const log = existsSync(logFile) ? readFileSync(logFile, 'utf8').slice(-2000) : ''
  throw new Error(`PostgreSQL did not start (${lastError?.message ?? `exited with ${child.exitCode}`})\n${log}`)
}

async function createDatabaseOn(adminUrl, name) {
  const client = new pg.Client({ connectionString: adminUrl })
  await client.connect()
  try {
    await client.query(`CREATE DATABASE "${name}"`)
  } finally {
    await client.end()
  }
  const url = new URL(adminUrl)
  url.pathname = `/${name}`
  return url.toString()
}

async function dropDatabaseOn(adminUrl, name) {
  const client = new pg.Client({ connectionString: adminUrl })
  await client.connect()
  try {
    await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`)
  } finally {
    await client.end()
  }
}

/**
 * Starts a server and returns `{ url, port, pid, createDatabase(name), stop() }`. `url` points at the
 * `postgres` database; `createDatabase` makes an empty one and returns its URL.
 */
export async function startPostgres() {
  if (process.env.DATABASE_URL) return useExistingServer(process.env.DATABASE_URL)
  const bin = postgresBinDir()
  const owner = runAs()
  const root = mkdtempSync(join(tmpdir(), 'treaty-pg-'))
  const dataDir = join(root, 'data')
  const socketDir = join(root, 'socket')
  mkdirSync(socketDir)
  if (owner) {
    chownSync(root, owner.uid, owner.gid)
    chownSync(socketDir, owner.uid, owner.gid)
  }
  const env = { ...process.env, LC_ALL: 'C', LANG: 'C' }
  execFileSync(join(bin, 'initdb'), ['-D', dataDir, '-U', 'postgres', '-A', 'trust', '-E', 'UTF8', '--no-sync', '--no-instructions'], {
    env,
    cwd: root,
    stdio: 'pipe',
    ...(owner ?? {}),
  })
  const port = await freePort()
  const logFile = join(root, 'postgres.log')
  const log = openSync(logFile, 'a')
  if (owner) chownSync(logFile, owner.uid, owner.gid)
  const child = spawn(
    join(bin, 'postgres'),
    [
      ...['-D', dataDir, '-p', String(port), '-k', socketDir, '-h', '127.0.0.1'],
      // A test server: durability against power loss is not what is tested here (crash tests kill brokers, not PostgreSQL).
      ...['-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off'],
      ...['-c', 'max_connections=200', '-c', 'shared_buffers=64MB'],
    ],
    { env, cwd: root, stdio: ['ignore', log, log], ...(owner ?? {}) },
  )
  // If the test process dies without stopping it, do not leave a server behind.
  const killOnExit = () => {
    try {
      process.kill(child.pid, 'SIGKILL')
    } catch {
      // already gone
    }
  }
  process.once('exit', killOnExit)
  const url = `postgres://postgres@127.0.0.1:${port}/postgres`
  try {
    await waitUntilReady(url, child, logFile)
  } catch (err) {
    killOnExit()
    rmSync(root, { recursive: true, force: true })
    throw err
  }
  return {
    url,
    port,
    pid: child.pid,
    createDatabase: (name) => createDatabaseOn(url, name),
    async stop() {
      process.removeListener('exit', killOnExit)
      if (child.exitCode === null) {
        const exited = new Promise((resolve) => child.once('exit', resolve))
        // SIGINT is PostgreSQL's "fast" shutdown: roll back open transactions, close connections, exit.
        process.kill(child.pid, 'SIGINT')
        const timer = setTimeout(killOnExit, 10_000)
        await exited
        clearTimeout(timer)
      }
      rmSync(root, { recursive: true, force: true })
    },
  }
}

async function useExistingServer(databaseUrl) {
  const created = []
  return {
    url: databaseUrl,
    port: Number(new URL(databaseUrl).port || 5432),
    pid: undefined,
    async createDatabase(name) {
      const url = await createDatabaseOn(databaseUrl, name)
      created.push(name)
      return url
    },
    async stop() {
      for (const name of created) await dropDatabaseOn(databaseUrl, name)
    },
  }
}
