/**
 * Service configuration from the environment. Without NATS_URLS / DATABASE_URL a service uses the
 * local infra started by `npm run up` (its state dir), so `npm run up && npm run api` just works.
 */
import { connectionEnv, readState, resolveStateDir } from './infra/state.js'

export interface Connections {
  natsUrls: string[]
  databaseUrl: string
}

export function connections(env: NodeJS.ProcessEnv = process.env): Connections {
  let natsUrls = env.NATS_URLS
  let databaseUrl = env.DATABASE_URL
  if (!natsUrls || !databaseUrl) {
    const state = readState(resolveStateDir(env.PDF_INFRA_DIR))
    if (!state) throw new Error('set NATS_URLS and DATABASE_URL, or start the local infra with "npm run up"')
    const local = connectionEnv(state)
    natsUrls ??= local.NATS_URLS
    databaseUrl ??= local.DATABASE_URL
  }
  return { natsUrls: natsUrls.split(',').map((url) => url.trim()), databaseUrl }
}

export function intEnv(env: NodeJS.ProcessEnv, name: string, fallback: number, min = 0): number {
  const raw = env[name]
  if (raw === undefined || raw === '') return fallback
  const value = Number(raw)
  if (!Number.isInteger(value) || value < min) throw new Error(`${name} must be an integer >= ${min} (got "${raw}")`)
  return value
}

export function intListEnv(env: NodeJS.ProcessEnv, name: string, fallback: number[]): number[] {
  const raw = env[name]
  if (raw === undefined || raw === '') return fallback
  const values = raw.split(',').map((part) => Number(part.trim()))
  if (values.some((value) => !Number.isInteger(value) || value < 0))
    throw new Error(`${name} must be a comma-separated list of integers (got "${raw}")`)
  return values
}
