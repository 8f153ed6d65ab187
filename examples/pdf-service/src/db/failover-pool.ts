/**
 * A pg pool that follows the primary: it connects to the first host of a multi-host URL that
 * accepts writes (libpq's `target_session_attrs=read-write`), and when the connection is lost it
 * looks again (the standby answers once promoted). Callers retry idempotent work through `tx`.
 */
import { setTimeout as sleep } from 'node:timers/promises'
import pg from 'pg'
import type { Logger } from 'pino'
import { type DbHost, type MultiHostUrl, parseMultiHostUrl } from './multi-host-url.js'

export interface FailoverPoolOptions {
  log: Logger
  maxConnections?: number
  /** How long `tx`/`query` keep retrying a lost connection before giving up. */
  retryForMs?: number
  connectTimeoutMs?: number
}

export type Queryable = Pick<pg.PoolClient, 'query'>

export class FailoverPool {
  readonly #url: MultiHostUrl
  readonly #options: Required<FailoverPoolOptions>
  #pool: pg.Pool | null = null
  #current: DbHost | null = null
  #resolving: Promise<pg.Pool> | null = null
  #closed = false

  constructor(url: string, options: FailoverPoolOptions) {
    this.#url = parseMultiHostUrl(url)
    this.#options = { maxConnections: 10, retryForMs: 30_000, connectTimeoutMs: 2_000, ...options }
  }

  /** The host currently written to, e.g. `127.0.0.1:5433` (null before the first query). */
  get currentHost(): string | null {
    return this.#current ? `${this.#current.host}:${this.#current.port}` : null
  }

  async query<R extends pg.QueryResultRow = pg.QueryResultRow>(text: string, values?: unknown[]): Promise<pg.QueryResult<R>> {
    return this.tx((client) => client.query<R>(text, values))
  }

  /** Runs `fn` in a transaction; on a lost or read-only connection, finds the primary and runs it again. */
  async tx<T>(fn: (client: Queryable) => Promise<T>): Promise<T> {
    const deadline = Date.now() + this.#options.retryForMs
    for (let attempt = 1; ; attempt++) {
      let client: pg.PoolClient | undefined
      try {
        const pool = await this.#getPool()
        client = await pool.connect()
        await client.query('BEGIN')
        const result = await fn(client)
        await client.query('COMMIT')
        client.release()
        return result
      } catch (error) {
        if (client) {
          // A broken client must not go back to the pool; a healthy one is rolled back first.
          if (isConnectionLost(error)) client.release(true)
          else {
            await client.query('ROLLBACK').catch(() => undefined)
            client.release()
          }
        }
        if (!isConnectionLost(error) || this.#closed || Date.now() > deadline) throw error
        this.#log('database connection lost, finding the primary again', error, attempt)
        this.#invalidate()
        await sleep(Math.min(50 * attempt, 500))
      }
    }
  }

  async ping(): Promise<boolean> {
    try {
      const pool = await this.#getPool()
      await pool.query('SELECT 1')
      return true
    } catch {
      return false
    }
  }

  async close(): Promise<void> {
    this.#closed = true
    const pool = this.#pool
    this.#pool = null
    await pool?.end().catch(() => undefined)
  }

  #log(message: string, error: unknown, attempt: number): void {
    this.#options.log.warn({ err: error instanceof Error ? error.message : String(error), host: this.currentHost, attempt }, message)
  }

  #invalidate(): void {
    const pool = this.#pool
    this.#pool = null
    this.#current = null
    pool?.end().catch(() => undefined)
  }

  async #getPool(): Promise<pg.Pool> {
    if (this.#pool) return this.#pool
    // One search at a time, shared by every caller that lost its connection.
    this.#resolving ??= this.#findPrimary().finally(() => {
      this.#resolving = null
    })
    return this.#resolving
  }

  async #findPrimary(): Promise<pg.Pool> {
    const errors: string[] = []
    for (const host of this.#url.hosts) {
      const probe = new pg.Client(this.#clientConfig(host))
      probe.on('error', () => undefined) // the failure also reaches connect()/query() below
      try {
        await probe.connect()
        const { rows } = await probe.query<{ transaction_read_only: string }>('SHOW transaction_read_only')
        if (this.#url.targetSessionAttrs === 'read-write' && rows[0]?.transaction_read_only === 'on') {
          errors.push(`${host.host}:${host.port} is read-only`)
          continue
        }
        const pool = new pg.Pool({ ...this.#clientConfig(host), max: this.#options.maxConnections })
        pool.on('error', (error) => this.#options.log.warn({ err: error.message }, 'idle database connection failed'))
        // A checked-out client whose server dies emits 'error' besides failing its query; unheard, it would crash the process.
        pool.on('connect', (client) =>
          client.on('error', (error) => this.#options.log.debug({ err: error.message }, 'database connection failed')),
        )
        if (this.#closed) {
          await pool.end()
          throw new Error('pool closed')
        }
        this.#pool = pool
        if (this.#current?.port !== host.port)
          this.#options.log.info({ host: `${host.host}:${host.port}` }, 'connected to the database primary')
        this.#current = host
        return pool
      } catch (error) {
        errors.push(`${host.host}:${host.port}: ${error instanceof Error ? error.message : String(error)}`)
      } finally {
        await probe.end().catch(() => undefined)
      }
    }
    throw new NoPrimaryError(errors)
  }

  #clientConfig(host: DbHost): pg.ClientConfig {
    return {
      host: host.host,
      port: host.port,
      user: this.#url.user,
      password: this.#url.password,
      database: this.#url.database,
      connectionTimeoutMillis: this.#options.connectTimeoutMs,
      keepAlive: true,
    }
  }
}

export class NoPrimaryError extends Error {
  readonly code = 'PDF_DB_NO_PRIMARY'
  constructor(readonly attempts: string[]) {
    super(`no database host accepts writes (${attempts.join('; ')})`)
    this.name = 'NoPrimaryError'
  }
}

const LOST_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'PDF_DB_NO_PRIMARY',
  '57P01', // admin_shutdown
  '57P02', // crash_shutdown
  '57P03', // cannot_connect_now (starting up, or in recovery)
  '25006', // read_only_sql_transaction: we are talking to a standby
  '08000',
  '08001',
  '08003',
  '08004',
  '08006',
])

/** True when the error means "this connection or host is gone", not "this statement is wrong". */
export function isConnectionLost(error: unknown): boolean {
  if (!(error instanceof Error)) return false
  const code = (error as { code?: unknown }).code
  if (typeof code === 'string' && LOST_CODES.has(code)) return true
  return /Connection terminated|connection timeout|timeout exceeded when trying to connect|Client has encountered a connection error|not queryable/i.test(
    error.message,
  )
}
