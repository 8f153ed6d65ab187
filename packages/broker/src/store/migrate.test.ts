import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { BrokerErrorCodes } from '../errors.js'
import type { Database } from './database.js'
import { checksum, migrate } from './migrate.js'
import { IN_MEMORY, openPgliteDatabase } from './pglite-database.js'
import { MIGRATIONS } from './schema.js'

const m1 = { version: 1, name: 'one', sql: 'CREATE TABLE a (id integer PRIMARY KEY);' }
const m2 = { version: 2, name: 'two', sql: 'CREATE TABLE b (id integer PRIMARY KEY);' }

describe('migrate', () => {
  let db: Database
  beforeAll(async () => {
    db = await openPgliteDatabase(IN_MEMORY)
  })
  afterAll(async () => {
    await db?.close()
  })

  it('applies what is missing, once', async () => {
    expect(await migrate(db, [m1])).toEqual({ applied: [1], current: 1 })
    expect(await migrate(db, [m1, m2])).toEqual({ applied: [2], current: 2 })
    expect(await migrate(db, [m1, m2])).toEqual({ applied: [], current: 2 })
  })

  it('keeps every released migration as it was released: a broker refuses to start on an edited one', () => {
    // Append only: a fix to an applied migration is a new migration. Pinned from the releases that applied them.
    const released: Record<number, string> = {
      1: '18a23ef2d37914f2a55283dd64dd34e333a70a90653f9e50f834be33d39312ab',
      2: '32dcd75514b61fb5ff00d094d78cb80e51fe73100c5b5e1a136b1ccca7f89531',
      3: 'cc7e80ba45d1d361892b8d74991ee93156a8e4b704bb5149e608adbb66ac618c',
      4: '675ebf0411c8e21645146f96be93376c1a3e838ae96292ac24a3f97acd36d08c',
      5: '5ea062a09b3dd1d568db152b0143dcbe3b46027024e699e258e4fedac59472e5',
      8: '68cfd5ec41064453a70aa7348b7a83649977dc56f73b01b571c99892beb19d9f',
    }
    const now = Object.fromEntries(MIGRATIONS.filter((m) => m.version in released).map((m) => [m.version, checksum(m)]))
    expect(now).toEqual(released)
  })

  it('refuses a migration edited after it was applied', async () => {
    await expect(migrate(db, [{ ...m1, sql: `${m1.sql} -- edited` }, m2])).rejects.toMatchObject({
      code: BrokerErrorCodes.MIGRATION_MISMATCH,
    })
  })

  it('refuses a database migrated by a newer broker', async () => {
    await expect(migrate(db, [m1])).rejects.toThrow(/schema version 2, newer than this broker knows \(1\)/)
  })

  it('rolls a failing migration back whole: no half-applied schema', async () => {
    const broken = { version: 3, name: 'broken', sql: 'CREATE TABLE c (id integer); CREATE TABLE a (id integer);' }
    await expect(migrate(db, [m1, m2, broken])).rejects.toThrow(/already exists/)
    expect(await db.query("SELECT to_regclass('c') AS c")).toEqual([{ c: null }])
    expect(await db.query('SELECT max(version) AS v FROM treaty_migrations')).toEqual([{ v: 2 }])
  })
})
