/**
 * Embedded storage: PGlite, PostgreSQL compiled to WASM, running in this process on a data directory.
 * One connection: statements and transactions run one at a time, which is what makes it simple to operate
 * (no server) and why production with several brokers uses PostgreSQL instead.
 */
import { resolve } from 'node:path'
import { PGlite } from '@electric-sql/pglite'
import { type DataDirLock, lockDataDir } from './data-dir-lock.js'
import type { Database, Queryable } from './database.js'

/** `memory://` keeps everything in memory (tests); anything else is a directory path. */
export const IN_MEMORY = 'memory://'

/**
 * PGlite runs PostgreSQL in single-user mode: there is no autovacuum, so nothing would ever refresh the
 * planner's statistics or reclaim dead rows. The driver stands in for it: VACUUM (ANALYZE) after every this
 * many write transactions (measured with bench/broker: without statistics the provider read plans seq scans
 * and costs 3x more).
 */
export const MAINTENANCE_EVERY_WRITES = 1000

export async function openPgliteDatabase(dataDir: string): Promise<Database> {
  const inMemory = dataDir === IN_MEMORY
  const dir = inMemory ? dataDir : resolve(dataDir)
  const lock: DataDirLock | undefined = inMemory ? undefined : await lockDataDir(dir)
  let db: PGlite
  try {
    db = await PGlite.create(inMemory ? undefined : dir)
  } catch (err) {
    await lock?.release()
    throw err
  }
  const wrap = (q: Pick<PGlite, 'query' | 'exec'>): Queryable => ({
    async query<T>(sql: string, params: readonly unknown[] = []) {
      const result = await q.query<T>(sql, params as unknown[])
      return result.rows
    },
    async exec(sql: string) {
      await q.exec(sql)
    },
  })
  const self = wrap(db)
  let closed = false
  // Data lives in this process's memory or page cache: random reads cost what sequential ones do.
  await db.exec('SET random_page_cost = 1.1')
  let writes = 0
  let maintaining: Promise<unknown> | undefined
  const maintain = () => {
    if (maintaining || closed) return
    // Queued behind the transaction that triggered it (PGlite runs one statement at a time); not awaited by it.
    maintaining = db
      .exec('VACUUM (ANALYZE)')
      .catch(() => {})
      .finally(() => {
        maintaining = undefined
      })
  }
  return {
    driver: 'pglite',
    location: inMemory ? 'PGlite in memory' : `PGlite at ${dir}`,
    query: self.query,
    exec: self.exec,
    async transaction(fn) {
      const result = await db.transaction((tx) => fn(wrap(tx)))
      if (++writes % MAINTENANCE_EVERY_WRITES === 0) maintain()
      return result
    },
    async analyze() {
      await db.exec('ANALYZE')
    },
    async close() {
      if (closed) return
      closed = true
      await maintaining
      try {
        await db.close()
      } finally {
        await lock?.release()
      }
    },
  }
}
