/**
 * Admin deletion of a service or of one version, with everything hanging off it, so a mistake (a typo that
 * became a service, a version published by accident) can be undone. Every deletion is logged with who asked,
 * with which token level, and when; the log itself is never deleted.
 */
import { BrokerError, BrokerErrorCodes } from '../errors.js'
import { findVersion } from './common.js'
import type { Queryable } from './database.js'
import { unknownService, unknownVersion } from './known-names.js'

export const DELETION_LOG_SQL = `
CREATE TABLE deletions (
  id bigserial PRIMARY KEY,
  service text NOT NULL,
  version text,
  deleted_by text NOT NULL,
  token_level text NOT NULL,
  correlation_id text,
  removed jsonb NOT NULL,
  deleted_at timestamptz NOT NULL
);
`

export interface Actor {
  /** Who, as the caller named themself (e.g. the CLI sends $USER or the CI actor). */
  by: string
  /** The level of the token used. */
  tokenLevel: string
  correlationId?: string | undefined
}

export interface Deletion {
  service: string
  version: string | null
  deletedBy: string
  tokenLevel: string
  removed: Record<string, number>
  deletedAt: Date
}

/** Deletes rows of versions `ids` (and, for a whole service, its contract contents); returns counts per table. */
async function deleteVersions(tx: Queryable, ids: number[], serviceId?: number): Promise<Record<string, number>> {
  const removed: Record<string, number> = {}
  const run = async (table: string, sql: string, params: unknown[]) => {
    removed[table] = (removed[table] ?? 0) + (await tx.query(`${sql} RETURNING 1`, params)).length
  }
  if (serviceId !== undefined) {
    const hashes = '(SELECT hash FROM contents WHERE consumer_id = $1 OR provider_id = $1)'
    await run('verifications', `DELETE FROM verifications WHERE content_hash IN ${hashes}`, [serviceId])
    await run('publications', `DELETE FROM publications WHERE content_hash IN ${hashes}`, [serviceId])
    await run('observations', `DELETE FROM observations WHERE content_hash IN ${hashes}`, [serviceId])
  }
  await run(
    'observations',
    'DELETE FROM observations WHERE provider_version_id = ANY($1::bigint[]) OR consumer_version_id = ANY($1::bigint[])',
    [ids],
  )
  await run('verifications', 'DELETE FROM verifications WHERE provider_version_id = ANY($1::bigint[])', [ids])
  await run('publications', 'DELETE FROM publications WHERE consumer_version_id = ANY($1::bigint[])', [ids])
  await run('deployments', 'DELETE FROM deployments WHERE version_id = ANY($1::bigint[])', [ids])
  await run('provider_schemas', 'DELETE FROM provider_schemas WHERE provider_version_id = ANY($1::bigint[])', [ids])
  await run('version_branches', 'DELETE FROM version_branches WHERE version_id = ANY($1::bigint[])', [ids])
  await run('version_tags', 'DELETE FROM version_tags WHERE version_id = ANY($1::bigint[])', [ids])
  if (serviceId !== undefined) await run('contents', 'DELETE FROM contents WHERE consumer_id = $1 OR provider_id = $1', [serviceId])
  await run('service_versions', 'DELETE FROM service_versions WHERE id = ANY($1::bigint[])', [ids])
  return removed
}

async function log(
  tx: Queryable,
  service: string,
  version: string | null,
  actor: Actor,
  removed: Record<string, number>,
  now: Date,
): Promise<Deletion> {
  await tx.query(
    'INSERT INTO deletions (service, version, deleted_by, token_level, correlation_id, removed, deleted_at) VALUES ($1, $2, $3, $4, $5, $6, $7)',
    [service, version, actor.by, actor.tokenLevel, actor.correlationId ?? null, JSON.stringify(removed), now],
  )
  return { service, version, deletedBy: actor.by, tokenLevel: actor.tokenLevel, removed, deletedAt: now }
}

/**
 * Refuses to delete what an environment still runs (deployed, or released and supported): can-i-deploy would
 * then see nothing there ("not deployed: nothing to break") and let a breaking version through.
 */
async function refuseIfLive(tx: Queryable, service: string, serviceId: number, versionId: number | undefined, path: string): Promise<void> {
  const live = await tx.query<{ environment: string; version: string; released: boolean }>(
    `SELECT e.name AS environment, v.version, d.released
       FROM deployments d JOIN environments e ON e.id = d.environment_id JOIN service_versions v ON v.id = d.version_id
      WHERE d.service_id = $1 AND ($2::bigint IS NULL OR d.version_id = $2) AND d.undeployed_at IS NULL
      ORDER BY e.name, v.version`,
    [serviceId, versionId ?? null],
  )
  const first = live[0]
  if (!first) return
  const where = live.map((l) => `${service} ${l.version} ${l.released ? 'released in' : 'deployed in'} ${l.environment}`).join(', ')
  const fix = first.released
    ? `treaty record-support-ended --service ${service} --app-version ${first.version} --environment ${first.environment}`
    : `treaty record-undeployment --service ${service} --environment ${first.environment}`
  throw new BrokerError(
    BrokerErrorCodes.STILL_DEPLOYED,
    `${where}: deleting it would let can-i-deploy take the environment for empty; nothing was deleted`,
    { path, hint: `record that it left first (${fix}), then delete` },
  )
}

export async function deleteService(tx: Queryable, service: string, actor: Actor, now: Date): Promise<Deletion> {
  const [svc] = await tx.query<{ id: number }>('SELECT id FROM services WHERE name = $1 FOR UPDATE', [service])
  if (!svc) throw await unknownService(tx, service, 'params.name')
  await refuseIfLive(tx, service, svc.id, undefined, 'params.name')
  const ids = (await tx.query<{ id: number }>('SELECT id FROM service_versions WHERE service_id = $1', [svc.id])).map((r) => Number(r.id))
  const removed = await deleteVersions(tx, ids, svc.id)
  await tx.query('DELETE FROM deployments WHERE service_id = $1', [svc.id])
  await tx.query('DELETE FROM services WHERE id = $1', [svc.id])
  removed.services = 1
  return log(tx, service, null, actor, removed, now)
}

export async function deleteVersion(tx: Queryable, service: string, version: string, actor: Actor, now: Date): Promise<Deletion> {
  const found = await findVersion(tx, service, version)
  if (found.serviceId === undefined) throw await unknownService(tx, service, 'params.name')
  if (found.versionId === undefined) throw await unknownVersion(tx, service, found.serviceId, version, 'params.version')
  await refuseIfLive(tx, service, found.serviceId, found.versionId, 'params.version')
  const removed = await deleteVersions(tx, [found.versionId])
  return log(tx, service, version, actor, removed, now)
}

export async function listDeletions(db: Queryable): Promise<Deletion[]> {
  const rows = await db.query<{
    service: string
    version: string | null
    deleted_by: string
    token_level: string
    removed: Record<string, number> | string
    deleted_at: Date
  }>('SELECT service, version, deleted_by, token_level, removed, deleted_at FROM deletions ORDER BY id DESC LIMIT 1000')
  return rows.map((r) => ({
    service: r.service,
    version: r.version,
    deletedBy: r.deleted_by,
    tokenLevel: r.token_level,
    removed: typeof r.removed === 'string' ? JSON.parse(r.removed) : r.removed,
    deletedAt: r.deleted_at,
  }))
}
