// The same store/API suite on a real PostgreSQL server this test starts (or DATABASE_URL's server).

import { startPostgres } from '@treaty/test-support/postgres'
import { describe } from 'vitest'
import { openStore } from '../src/store/store.js'
import { runApiSuite } from './suites/context.js'

describe('API on PostgreSQL', () => {
  runApiSuite(async () => {
    const server = await startPostgres()
    try {
      const url = await server.createDatabase(`treaty_api_${process.pid}_${Date.now()}`)
      const store = await openStore({ databaseUrl: url })
      return { store, cleanup: () => server.stop() }
    } catch (err) {
      await server.stop()
      throw err
    }
  })
})
