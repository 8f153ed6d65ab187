/** PostgreSQL through a `pg` connection pool: the production store, shared by any number of brokers. */
import pg from 'pg'
import type { Database, Queryable } from './database.js'

const INT8_OID = 20

/**
 * Counts and ids are int8: `pg` returns them as strings, PGlite as numbers. Numbers on both sides keep the
 * SQL layer identical; ids stay far below 2^53.
 */
const types = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    oid === INT8_OID ? (value: string) => Number(value) : pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
}

export interface PostgresOptions {
  connectionString: string
  /** Pool size per broker instance. */
  maxConnections?: number
  /** Logged (without credentials) when an idle connection breaks, instead of crashing the process. */
  onIdleError?: (err: Error) => void
}

export async function openPostgresDatabase(options: PostgresOptions): Promise<Database> {
  const pool = new pg.Pool({
    connectionString: options.connectionString,
    max: options.maxConnections ?? 10,
    connectionTimeoutMillis: 5_000,
    idleTimeoutMillis: 30_000,
    // A statement that runs away (or waits on a lock forever) must not hold a request and a connection forever.
    statement_timeout: 30_000,
    idle_in_transaction_session_timeout: 60_000,
    application_name: 'treaty-broker',
    types,
  })
  pool.on('error', (err) => options.onIdleError?.(err))
  // pool.end() resolves before its connections have finished closing; close() waits for them, so a server
  // shut down right after the broker does not see (and report) connections dropped mid-goodbye.
  let connections = 0
  let allClosed: (() => void) | undefined
  pool.on('connect', () => connections++)
  pool.on('remove', () => {
    connections--
    if (connections === 0) allClosed?.()
  })
  const query = async <T>(client: pg.Pool | pg.PoolClient, sql: string, params: readonly unknown[] = []) =>
    (await client.query(sql, params as unknown[])).rows as T[]
  // Fail at start-up, not on the first request, when the database cannot be reached.
  await query(pool, 'SELECT 1').catch(async (err) => {
    await pool.end().catch(() => {})
    throw err
  })
  return {
    driver: 'postgres',
    location: `PostgreSQL at ${describe(options.connectionString)}`,
    query: (sql, params) => query(pool, sql, params),
    async exec(sql) {
      await pool.query(sql)
    },
    async transaction(fn) {
      const client = await pool.connect()
      let broken: Error | undefined
      try {
        await client.query('BEGIN')
        const tx: Queryable = {
          query: (sql, params) => query(client, sql, params),
          async exec(sql) {
            await client.query(sql)
          },
        }
        const result = await fn(tx)
        await client.query('COMMIT')
        return result
      } catch (err) {
        try {
          await client.query('ROLLBACK')
        } catch (rollbackErr) {
          // The connection is unusable: hand it back as broken so the pool discards it.
          broken = rollbackErr as Error
        }
        throw err
      } finally {
        client.release(broken)
      }
    },
    // autovacuum keeps statistics fresh on a PostgreSQL server.
    async analyze() {},
    async close() {
      await pool.end()
      if (connections > 0) {
        await new Promise<void>((resolve) => {
          allClosed = resolve
          setTimeout(resolve, 2_000).unref()
        })
      }
    },
  }
}

/** host:port/database, never the user or password. */
export function describe(connectionString: string): string {
  try {
    const url = new URL(connectionString)
    return `${url.hostname}${url.port ? `:${url.port}` : ''}${url.pathname}`
  } catch {
    return '(unparseable DATABASE_URL)'
  }
}
