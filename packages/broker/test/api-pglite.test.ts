// The store/API suite on the embedded store (PGlite), the default.
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe } from 'vitest'
import { openStore } from '../src/store/store.js'
import { runApiSuite } from './suites/context.js'

describe('API on PGlite', () => {
  runApiSuite(async () => {
    // A real data directory, as in production use, not the in-memory mode.
    const dir = await mkdtemp(join(tmpdir(), 'treaty-api-'))
    const store = await openStore({ dataDir: join(dir, 'data') })
    return { store, cleanup: () => rm(dir, { recursive: true, force: true }) }
  })
})
