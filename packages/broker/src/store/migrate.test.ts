import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { BrokerErrorCodes } from '../errors.js'
import type { Database } from './database.js'
import { migrate } from './migrate.js'
import { IN_MEMORY, openPgliteDatabase } from './pglite-database.js'

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
