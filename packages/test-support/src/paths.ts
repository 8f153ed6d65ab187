import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

export const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url))
export const BROKER_DIR = join(REPO_ROOT, 'packages/broker')
/** The broker's own entry point (`node dist/server.js`, configured by environment). */
export const BROKER_SERVER = join(BROKER_DIR, 'dist/server.js')
/** The built `treaty` binary. */
export const TREATY_BIN = join(REPO_ROOT, 'packages/cli/dist/bin.js')
