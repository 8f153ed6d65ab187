/**
 * Applies pending migrations at start-up, all in one transaction under a transaction-level advisory lock:
 * brokers starting together on one PostgreSQL queue on the lock, the first migrates, the others find
 * nothing left to do. A failed migration rolls back whole; the schema is never half-applied.
 */
import { sha256 } from '@treaty/core'
import { BrokerError, BrokerErrorCodes } from '../errors.js'
import type { Database } from './database.js'
import { MIGRATIONS, type Migration } from './schema.js'

/** Arbitrary, fixed: identifies "treaty broker migrations" among other users of advisory locks on the database. */
export const MIGRATION_LOCK_KEY = 7_305_512_894_401

export function checksum(m: Migration): string {
  return sha256(m.sql)
}

export interface MigrationReport {
  applied: number[]
  current: number
}

export async function migrate(
  db: Database,
  migrations: readonly Migration[] = MIGRATIONS,
  now: Date = new Date(),
): Promise<MigrationReport> {
  return db.transaction(async (tx) => {
    await tx.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK_KEY])
    await tx.exec(`CREATE TABLE IF NOT EXISTS treaty_migrations (
      version integer PRIMARY KEY,
      name text NOT NULL,
      checksum text NOT NULL,
      applied_at timestamptz NOT NULL
    )`)
    const rows = await tx.query<{ version: number; checksum: string }>('SELECT version, checksum FROM treaty_migrations ORDER BY version')
    const known = new Map(migrations.map((m) => [m.version, m]))
    for (const row of rows) {
      const m = known.get(row.version)
      if (!m) {
        throw new BrokerError(
          BrokerErrorCodes.MIGRATION_MISMATCH,
          `the database has schema version ${row.version}, newer than this broker knows (${migrations.at(-1)?.version ?? 0}); upgrade the broker`,
        )
      }
      if (checksum(m) !== row.checksum) {
        throw new BrokerError(
          BrokerErrorCodes.MIGRATION_MISMATCH,
          `migration ${m.version} (${m.name}) differs from the one applied to this database; migrations are append-only`,
        )
      }
    }
    const done = new Set(rows.map((r) => r.version))
    const applied: number[] = []
    for (const m of migrations) {
      if (done.has(m.version)) continue
      await tx.exec(m.sql)
      await tx.query('INSERT INTO treaty_migrations (version, name, checksum, applied_at) VALUES ($1, $2, $3, $4)', [
        m.version,
        m.name,
        checksum(m),
        now,
      ])
      applied.push(m.version)
    }
    return { applied, current: migrations.at(-1)?.version ?? 0 }
  })
}
