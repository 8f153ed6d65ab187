import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Database } from './database.js'
import { IN_MEMORY, MAINTENANCE_EVERY_WRITES, openPgliteDatabase } from './pglite-database.js'

describe('the PGlite driver', () => {
  let db: Database
  beforeAll(async () => {
    db = await openPgliteDatabase(IN_MEMORY)
    await db.exec('CREATE TABLE t (id serial PRIMARY KEY, x integer)')
  })
  afterAll(async () => {
    await db?.close()
  })

  const reltuples = async () => (await db.query<{ n: number }>("SELECT reltuples AS n FROM pg_class WHERE relname = 't'"))[0]!.n

  it('stands in for autovacuum: statistics are refreshed after every MAINTENANCE_EVERY_WRITES write transactions', async () => {
    // Never analyzed: the planner would be guessing.
    expect(await reltuples()).toBe(-1)
    for (let i = 0; i < MAINTENANCE_EVERY_WRITES; i++) await db.transaction((tx) => tx.query('INSERT INTO t (x) VALUES ($1)', [i]))
    // The maintenance runs queued behind the last transaction; the next statement waits for it.
    await new Promise((r) => setTimeout(r, 50))
    expect(await reltuples()).toBe(MAINTENANCE_EVERY_WRITES)
  })

  it('rolls a transaction back when its function throws', async () => {
    await expect(
      db.transaction(async (tx) => {
        await tx.query('INSERT INTO t (x) VALUES (-1)')
        throw new Error('no')
      }),
    ).rejects.toThrow('no')
    expect(await db.query('SELECT count(*) AS n FROM t WHERE x = -1')).toEqual([{ n: 0 }])
  })
})
