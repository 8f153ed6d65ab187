/** Environments and the deployments recorded into them. */
import { BrokerError, BrokerErrorCodes } from '../errors.js'
import type { BrokerEvent } from '../webhooks/events.js'
import type { Queryable } from './database.js'
import { didYouMean, existingVersion } from './known-names.js'

export interface Environment {
  name: string
  production: boolean
  createdAt: Date
  updatedAt: Date
}

interface EnvironmentRow {
  name: string
  production: boolean
  created_at: Date
  updated_at: Date
}

const toEnvironment = (r: EnvironmentRow): Environment => ({
  name: r.name,
  production: r.production,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
})

/** Arbitrary, fixed: the class of transaction-level advisory locks on environment names (two-key form). */
const ENVIRONMENT_NAME_LOCK = 0x7472_656e

/** Creates the environment, or updates it; `production` left out keeps the current value (false when new). */
export async function putEnvironment(
  tx: Queryable,
  name: string,
  production: boolean | undefined,
  now: Date,
): Promise<{ environment: Environment; created: boolean }> {
  // `Production` beside `production`: deployments recorded into one, can-i-deploy asked of the empty other says yes.
  // Names alike but for case take one lock, so two creates at once (two broker instances) cannot both find no twin.
  await tx.query('SELECT pg_advisory_xact_lock($1, hashtext(lower($2)))', [ENVIRONMENT_NAME_LOCK, name])
  const [twin] = await tx.query<{ name: string }>('SELECT name FROM environments WHERE lower(name) = lower($1) AND name <> $1', [name])
  if (twin) {
    throw new BrokerError(
      BrokerErrorCodes.VALIDATION,
      `params.name: environment ${JSON.stringify(twin.name)} exists, and ${JSON.stringify(name)} differs from it only in case; use ${JSON.stringify(twin.name)}`,
      { path: 'params.name' },
    )
  }
  const inserted = await tx.query<EnvironmentRow>(
    `INSERT INTO environments (name, production, created_at, updated_at) VALUES ($1, $2, $3, $3)
     ON CONFLICT (name) DO NOTHING RETURNING name, production, created_at, updated_at`,
    [name, production ?? false, now],
  )
  if (inserted[0]) return { environment: toEnvironment(inserted[0]), created: true }
  const [updated] = await tx.query<EnvironmentRow>(
    `UPDATE environments SET production = COALESCE($2, production), updated_at = $3 WHERE name = $1
     RETURNING name, production, created_at, updated_at`,
    [name, production ?? null, now],
  )
  return { environment: toEnvironment(updated!), created: false }
}

export async function listEnvironments(db: Queryable): Promise<Environment[]> {
  const rows = await db.query<EnvironmentRow>('SELECT name, production, created_at, updated_at FROM environments ORDER BY name')
  return rows.map(toEnvironment)
}

export async function environmentExists(db: Queryable, name: string): Promise<boolean> {
  return (await db.query('SELECT 1 FROM environments WHERE name = $1', [name])).length > 0
}

export interface Deployment {
  environment: string
  service: string
  version: string
  deployedAt: Date
  undeployedAt: Date | null
}

export interface DeploymentRecorded {
  deployment: Deployment
  /** The version that was deployed before and is now undeployed, if any. */
  replaced: string | null
  /** False when this very version was already the current deployment (nothing changed). */
  changed: boolean
}

/**
 * Records `service@version` as deployed in the environment; the service's previous deployment there becomes
 * undeployed. The environment row is locked so concurrent recordings into one environment queue up.
 * Service and version must be known (published contracts, results or a provider schema): a typo must not
 * create a phantom service "in production".
 */
export async function recordDeployment(
  tx: Queryable,
  environment: string,
  service: string,
  version: string,
  now: Date,
): Promise<{ result: DeploymentRecorded; events: BrokerEvent[] }> {
  const environmentId = await existingEnvironment(tx, environment, 'params.name', true)
  const { serviceId, versionId } = await existingVersion(tx, service, version)
  const [current] = await tx.query<{ id: number; version_id: number; version: string; deployed_at: Date }>(
    `SELECT d.id, d.version_id, v.version, d.deployed_at FROM deployments d JOIN service_versions v ON v.id = d.version_id
      WHERE d.environment_id = $1 AND d.service_id = $2 AND d.undeployed_at IS NULL AND NOT d.released`,
    [environmentId, serviceId],
  )
  if (current && current.version_id === versionId) {
    return {
      result: {
        deployment: { environment, service, version, deployedAt: current.deployed_at, undeployedAt: null },
        replaced: null,
        changed: false,
      },
      events: [],
    }
  }
  if (current) await tx.query('UPDATE deployments SET undeployed_at = $2 WHERE id = $1', [current.id, now])
  await tx.query('INSERT INTO deployments (environment_id, service_id, version_id, deployed_at) VALUES ($1, $2, $3, $4)', [
    environmentId,
    serviceId,
    versionId,
    now,
  ])
  const replaced = current?.version ?? null
  return {
    result: { deployment: { environment, service, version, deployedAt: now, undeployedAt: null }, replaced, changed: true },
    events: [{ event: 'deployment_recorded', data: { environment, service, version, replacedVersion: replaced } }],
  }
}

export async function listDeployments(db: Queryable, environment: string, includeHistory: boolean): Promise<Deployment[]> {
  await existingEnvironment(db, environment, 'params.name')
  const rows = await db.query<{ service: string; version: string; deployed_at: Date; undeployed_at: Date | null }>(
    `SELECT s.name AS service, v.version, d.deployed_at, d.undeployed_at
       FROM deployments d
       JOIN environments e ON e.id = d.environment_id
       JOIN services s ON s.id = d.service_id
       JOIN service_versions v ON v.id = d.version_id
      WHERE e.name = $1 AND ($2::boolean OR d.undeployed_at IS NULL)
      ORDER BY s.name, d.deployed_at DESC, d.id DESC`,
    [environment, includeHistory],
  )
  return rows.map((r) => ({
    environment,
    service: r.service,
    version: r.version,
    deployedAt: r.deployed_at,
    undeployedAt: r.undeployed_at,
  }))
}

/**
 * 404 for an environment that does not exist, naming the closest of `known` (a typo: `prod` for `production`)
 * and, in `path`, the request field that named it.
 */
export function environmentNotFound(name: string, known: readonly string[], path: string): BrokerError {
  const create = `an admin creates it with treaty environment create ${name} (add --production for a production environment)`
  const near = didYouMean(name, known)
  // With a close name the typo is the likely story: creating the mistyped environment is the fallback, not the advice.
  return new BrokerError(
    BrokerErrorCodes.ENVIRONMENT_NOT_FOUND,
    `environment ${JSON.stringify(name)} does not exist${near ? `${near} (if not, ${create})` : `; ${create}`}`,
    { path },
  )
}

/**
 * The id of environment `name` (given by the request field `path`), locked for the transaction with
 * `forUpdate`; a 404 naming the closest existing environment when there is none.
 */
export async function existingEnvironment(db: Queryable, name: string, path: string, forUpdate = false): Promise<number> {
  const [env] = await db.query<{ id: number }>(`SELECT id FROM environments WHERE name = $1${forUpdate ? ' FOR UPDATE' : ''}`, [name])
  if (!env) throw await unknownEnvironment(db, name, path)
  return env.id
}

/** environmentNotFound with the environments the broker has, to name the closest. */
export async function unknownEnvironment(db: Queryable, name: string, path: string): Promise<BrokerError> {
  const names = (await db.query<{ name: string }>('SELECT name FROM environments')).map((r) => r.name)
  return environmentNotFound(name, names, path)
}
