/** Small SQL helpers shared by the store modules. */
import type { Queryable } from './database.js'

/**
 * Creates the services (if new) and returns their ids. Names are inserted in sorted order so concurrent
 * transactions creating overlapping sets of services take their row locks in the same order and cannot
 * deadlock on each other.
 */
export async function ensureServices(tx: Queryable, names: readonly string[], now: Date): Promise<Map<string, number>> {
  const sorted = [...new Set(names)].sort()
  for (const name of sorted) {
    await tx.query('INSERT INTO services (name, created_at) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING', [name, now])
  }
  // A separate statement: under READ COMMITTED it sees rows that concurrent transactions committed meanwhile.
  const rows = await tx.query<{ id: number; name: string }>('SELECT id, name FROM services WHERE name = ANY($1::text[])', [sorted])
  return new Map(rows.map((r) => [r.name, r.id]))
}

/** Creates the version (if new) and returns its id. */
export async function ensureVersion(tx: Queryable, serviceId: number, version: string, now: Date): Promise<number> {
  const inserted = await tx.query<{ id: number }>(
    'INSERT INTO service_versions (service_id, version, created_at) VALUES ($1, $2, $3) ON CONFLICT (service_id, version) DO NOTHING RETURNING id',
    [serviceId, version, now],
  )
  if (inserted[0]) return inserted[0].id
  const [row] = await tx.query<{ id: number }>('SELECT id FROM service_versions WHERE service_id = $1 AND version = $2', [
    serviceId,
    version,
  ])
  return row!.id
}

export async function addBranch(tx: Queryable, versionId: number, branch: string | undefined, now: Date): Promise<void> {
  if (branch === undefined) return
  await tx.query('INSERT INTO version_branches (version_id, branch, created_at) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING', [
    versionId,
    branch,
    now,
  ])
}

export async function addTags(tx: Queryable, versionId: number, tags: readonly string[], now: Date): Promise<void> {
  for (const tag of [...new Set(tags)].sort()) {
    await tx.query('INSERT INTO version_tags (version_id, tag, created_at) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING', [
      versionId,
      tag,
      now,
    ])
  }
}

export interface ServiceVersionIds {
  serviceId: number
  versionId: number
}

/** Ids of an existing service version, without creating anything. */
export async function findVersion(db: Queryable, service: string, version: string): Promise<Partial<ServiceVersionIds>> {
  const [row] = await db.query<{ service_id: number; version_id: number | null }>(
    `SELECT s.id AS service_id, v.id AS version_id
       FROM services s LEFT JOIN service_versions v ON v.service_id = s.id AND v.version = $2
      WHERE s.name = $1`,
    [service, version],
  )
  if (!row) return {}
  return row.version_id === null ? { serviceId: row.service_id } : { serviceId: row.service_id, versionId: row.version_id }
}

/** The branches of each version, in one query. */
export async function branchesOf(db: Queryable, versionIds: readonly number[]): Promise<Map<number, string[]>> {
  const out = new Map<number, string[]>()
  if (versionIds.length === 0) return out
  const rows = await db.query<{ version_id: number; branch: string }>(
    'SELECT version_id, branch FROM version_branches WHERE version_id = ANY($1::bigint[]) ORDER BY branch',
    [versionIds],
  )
  for (const r of rows) out.set(r.version_id, [...(out.get(r.version_id) ?? []), r.branch])
  return out
}
