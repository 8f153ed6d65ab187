/**
 * Admin deletion of a service or of one version, with everything hanging off it, so a mistake (a typo that
 * became a service, a version published by accident) can be undone. Every deletion is logged with who asked,
 * with which token level, and when; the log itself is never deleted.
 */
import { BrokerError, BrokerErrorCodes } from '../errors.js'
import { findVersion } from './common.js'
import type { Queryable } from './database.js'
import { unknownService, unknownVersion } from './known-names.js'
import { deploymentSpans, leaveCommand, runningPhrase, stillKept } from './running.js'

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
 * Refuses to delete what can-i-deploy still reads, or it would take the environment for emptier than it is and let
 * a breaking version through:
 * - a version an environment runs (deployed, or released and supported), and, when a whole service goes, a
 *   consumer version an environment runs whose contract with that service would go with it;
 * - a version whose deployment ended so recently that a channel of its contracts still keeps its messages
 *   (the retention check reads them: docs of can-i-deploy's retention windows).
 */
async function refuseIfStillRead(
  tx: Queryable,
  service: string,
  serviceId: number,
  versionId: number | undefined,
  path: string,
  now: Date,
): Promise<void> {
  const spans = await deploymentSpans(tx, service, serviceId, versionId)
  const live = spans.filter((l) => l.undeployed_at === null)
  const first = live[0]
  if (first) {
    const where = live
      .map((l) => {
        const what = `${l.service} ${l.version} ${runningPhrase(l)}`
        return l.service === service ? what : `${what} holds a contract with ${service}`
      })
      .join(', ')
    const fix = leaveCommand(first.service, first.version, first)
    throw new BrokerError(
      BrokerErrorCodes.STILL_DEPLOYED,
      first.service === service
        ? `${where}: deleting it would let can-i-deploy take the environment for empty; nothing was deleted`
        : `${where}: deleting ${service} would delete that contract, and can-i-deploy would pass a ${service} version that breaks it; nothing was deleted`,
      {
        path,
        hint: `record that ${first.service === service ? 'it' : `${first.service} ${first.version}`} left first (${fix}), then delete`,
      },
    )
  }
  const kept = await stillKept(tx, spans, ['sent', 'read'], now)
  if (!kept) return
  throw new BrokerError(
    BrokerErrorCodes.STILL_RETAINED,
    `${kept.phrase}: can-i-deploy still checks it against them, and would stop if it were deleted; nothing was deleted`,
    { path, hint: kept.until ? `delete it after ${kept.until.toISOString()}, when the window has passed` : kept.forever },
  )
}

export async function deleteService(tx: Queryable, service: string, actor: Actor, now: Date): Promise<Deletion> {
  const [svc] = await tx.query<{ id: number }>('SELECT id FROM services WHERE name = $1 FOR UPDATE', [service])
  if (!svc) throw await unknownService(tx, service, 'params.name')
  await refuseIfStillRead(tx, service, svc.id, undefined, 'params.name', now)
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
  await refuseIfStillRead(tx, service, found.serviceId, found.versionId, 'params.version', now)
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
