/**
 * The one SQL interface both drivers implement. Everything above it is the same SQL on PGlite (embedded) and
 * PostgreSQL, so a behaviour tested on one holds on the other.
 */

export interface Queryable {
  /** One statement, `$1`-style parameters only: values never reach the SQL text. */
  query<T = Record<string, unknown>>(sql: string, params?: readonly unknown[]): Promise<T[]>
  /** Several statements without parameters (migrations). */
  exec(sql: string): Promise<void>
}

export interface Database extends Queryable {
  readonly driver: 'pglite' | 'postgres'
  /** Where the data lives, without credentials: safe to log. */
  readonly location: string
  /** Runs `fn` in one transaction: committed when it resolves, rolled back when it throws. */
  transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T>
  /** Refreshes planner statistics where nothing else does (PGlite); a no-op where autovacuum runs (PostgreSQL). */
  analyze(): Promise<void>
  close(): Promise<void>
}

/** PostgreSQL SQLSTATE of the error, when it is one. */
export function sqlState(err: unknown): string | undefined {
  const code = (err as { code?: unknown } | null)?.code
  return typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code) ? code : undefined
}

/** Deadlock or serialization failure: the transaction did nothing and may simply be run again. */
export function isRetryable(err: unknown): boolean {
  const state = sqlState(err)
  return state === '40P01' || state === '40001'
}

/**
 * The database is down or unreachable (connection refused or lost, server shutting down, too many
 * connections): the client should retry later, the broker is not broken.
 */
export function isUnavailable(err: unknown): boolean {
  const state = sqlState(err)
  if (state !== undefined) return state.startsWith('08') || state === '57P01' || state === '57P02' || state === '57P03' || state === '53300'
  const code = (err as { code?: unknown } | null)?.code
  if (typeof code === 'string' && ['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EAI_AGAIN'].includes(code)) return true
  const message = (err as Error | null)?.message ?? ''
  return /Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error|PGlite is closed/i.test(
    message,
  )
}

/** Runs `fn` in a transaction, again (a few times) when PostgreSQL aborted it for a deadlock or serialization failure. */
export async function withTransaction<T>(db: Database, fn: (tx: Queryable) => Promise<T>, attempts = 4): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await db.transaction(fn)
    } catch (err) {
      if (attempt >= attempts || !isRetryable(err)) throw err
      await new Promise((resolve) => setTimeout(resolve, 5 * 2 ** attempt * Math.random()))
    }
  }
}
