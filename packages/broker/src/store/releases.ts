/**
 * The rest of the deploy lifecycle Pact users expect: a version leaving an environment
 * (record-undeployment), and released artefacts (mobile apps, libraries) of which several versions are
 * live at once (record-release / record-support-ended).
 *
 * A release is a `deployments` row marked `released` (migration 4): the can-i-deploy and matrix reads take
 * every row with `undeployed_at IS NULL` as "in the environment", so released versions count there with no
 * second code path. Only non-released rows are limited to one per (environment, service).
 */
import { BrokerError, BrokerErrorCodes } from '../errors.js'
import type { Queryable } from './database.js'
import { existingEnvironment } from './environments.js'
import { existingVersion, unknownService } from './known-names.js'

export const RELEASES_MIGRATION_SQL = `
ALTER TABLE deployments ADD COLUMN released boolean NOT NULL DEFAULT false;
DROP INDEX deployments_current;
CREATE UNIQUE INDEX deployments_current ON deployments (environment_id, service_id) WHERE undeployed_at IS NULL AND NOT released;
CREATE UNIQUE INDEX releases_current ON deployments (environment_id, version_id) WHERE undeployed_at IS NULL AND released;
`

export interface LifecycleRecorded {
  environment: string
  service: string
  version: string
  /** False when nothing changed (already released; support already ended). */
  changed: boolean
}

async function lockedEnvironment(tx: Queryable, environment: string): Promise<number> {
  return existingEnvironment(tx, environment, 'params.name', true)
}

/** The service's current (non-released) deployment leaves the environment. */
export async function recordUndeployment(tx: Queryable, environment: string, service: string, now: Date): Promise<LifecycleRecorded> {
  const envId = await lockedEnvironment(tx, environment)
  const [svc] = await tx.query<{ id: number }>('SELECT id FROM services WHERE name = $1', [service])
  if (!svc) throw await unknownService(tx, service)
  const [current] = await tx.query<{ id: number; version: string }>(
    `UPDATE deployments d SET undeployed_at = $3 FROM service_versions v
      WHERE v.id = d.version_id AND d.environment_id = $1 AND d.service_id = $2 AND d.undeployed_at IS NULL AND NOT d.released
      RETURNING d.id, v.version`,
    [envId, svc.id, now],
  )
  if (!current) {
    throw new BrokerError(BrokerErrorCodes.DEPLOYMENT_NOT_FOUND, `${service} is not deployed in ${environment}`, {
      path: 'body.service',
      hint: 'treaty record-deployment records a deployment',
    })
  }
  return { environment, service, version: current.version, changed: true }
}

/** `service@version` is released into the environment, alongside the versions released before. */
export async function recordRelease(
  tx: Queryable,
  environment: string,
  service: string,
  version: string,
  now: Date,
): Promise<LifecycleRecorded> {
  const envId = await lockedEnvironment(tx, environment)
  const { serviceId, versionId } = await existingVersion(tx, service, version)
  const inserted = await tx.query(
    `INSERT INTO deployments (environment_id, service_id, version_id, deployed_at, released) VALUES ($1, $2, $3, $4, true)
     ON CONFLICT (environment_id, version_id) WHERE undeployed_at IS NULL AND released DO NOTHING RETURNING id`,
    [envId, serviceId, versionId, now],
  )
  return { environment, service, version, changed: inserted.length > 0 }
}

/** Support for a released `service@version` ended: it no longer counts as live in the environment. */
export async function recordSupportEnded(
  tx: Queryable,
  environment: string,
  service: string,
  version: string,
  now: Date,
): Promise<LifecycleRecorded> {
  const envId = await lockedEnvironment(tx, environment)
  const { versionId } = await existingVersion(tx, service, version)
  const ended = await tx.query(
    'UPDATE deployments SET undeployed_at = $3 WHERE environment_id = $1 AND version_id = $2 AND released AND undeployed_at IS NULL RETURNING id',
    [envId, versionId, now],
  )
  if (ended.length === 0) {
    throw new BrokerError(BrokerErrorCodes.DEPLOYMENT_NOT_FOUND, `${service} ${version} is not a supported release in ${environment}`, {
      path: 'body.version',
      hint: 'treaty record-release records one',
    })
  }
  return { environment, service, version, changed: true }
}
