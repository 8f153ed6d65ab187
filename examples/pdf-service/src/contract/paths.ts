import { fileURLToPath } from 'node:url'

/** Where the example's consumer tests write contracts and its provider tests read them (committed). */
export const CONTRACTS_DIR = fileURLToPath(new URL('../../contracts', import.meta.url))
