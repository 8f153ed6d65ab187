/** Read models of services: the list, and one service's versions, branches, deployments and integrations. */
import { addBranch, branchesOf, ensureServices, ensureVersion, findVersion } from './common.js'
import type { Queryable } from './database.js'
import { unknownService } from './known-names.js'

export interface ServiceSummary {
  name: string
  mainBranch: string
  createdAt: Date
  latestVersion: string | null
  versionCount: number
}

export interface LatestVerification {
  providerVersion: string
  success: boolean
  verifiedAt: Date
}

/** One side of an integration, as seen from the service: its latest contract content and how it was last verified. */
export interface Integration {
  /** The other service. */
  service: string
  /** The consumer version that published the latest contract of this integration. */
  consumerVersion: string
  contentHash: string
  publishedAt: Date
  latestVerification: LatestVerification | null
}

export interface ServiceDetail {
  name: string
  mainBranch: string
  createdAt: Date
  versions: { version: string; branches: string[]; tags: string[]; createdAt: Date }[]
  branches: { name: string; latestVersion: string }[]
  deployments: { environment: string; version: string; deployedAt: Date }[]
  /** Providers this service consumes from (latest contract per provider). */
  consumes: Integration[]
  /** Consumers of this service (latest contract per consumer). */
  provides: Integration[]
}

export async function listServices(db: Queryable): Promise<ServiceSummary[]> {
  const rows = await db.query<{
    name: string
    main_branch: string
    created_at: Date
    latest_version: string | null
    version_count: number
  }>(
    `SELECT s.name, s.main_branch, s.created_at,
            (SELECT v.version FROM service_versions v WHERE v.service_id = s.id ORDER BY v.id DESC LIMIT 1) AS latest_version,
            (SELECT count(*) FROM service_versions v WHERE v.service_id = s.id) AS version_count
       FROM services s ORDER BY s.name`,
  )
  return rows.map((r) => ({
    name: r.name,
    mainBranch: r.main_branch,
    createdAt: r.created_at,
    latestVersion: r.latest_version,
    versionCount: r.version_count,
  }))
}

export async function setMainBranch(db: Queryable, name: string, mainBranch: string): Promise<void> {
  const rows = await db.query('UPDATE services SET main_branch = $2 WHERE name = $1 RETURNING id', [name, mainBranch])
  if (rows.length === 0) throw await unknownService(db, name, 'params.name')
}

/** `path`: the request field that named the service. */
export async function getService(db: Queryable, name: string, versionLimit: number, path = 'params.name'): Promise<ServiceDetail> {
  const [service] = await db.query<{ id: number; name: string; main_branch: string; created_at: Date }>(
    'SELECT id, name, main_branch, created_at FROM services WHERE name = $1',
    [name],
  )
  if (!service) throw await unknownService(db, name, path)

  const versions = await db.query<{ id: number; version: string; created_at: Date }>(
    'SELECT id, version, created_at FROM service_versions WHERE service_id = $1 ORDER BY id DESC LIMIT $2',
    [service.id, versionLimit],
  )
  const ids = versions.map((v) => v.id)
  const branches = await branchesOf(db, ids)
  const tagRows = await db.query<{ version_id: number; tag: string }>(
    'SELECT version_id, tag FROM version_tags WHERE version_id = ANY($1::bigint[]) ORDER BY tag',
    [ids],
  )
  const tags = new Map<number, string[]>()
  for (const t of tagRows) tags.set(t.version_id, [...(tags.get(t.version_id) ?? []), t.tag])

  const heads = await db.query<{ branch: string; version: string }>(
    `SELECT DISTINCT ON (b.branch) b.branch, v.version
       FROM version_branches b JOIN service_versions v ON v.id = b.version_id
      WHERE v.service_id = $1 ORDER BY b.branch, v.id DESC`,
    [service.id],
  )
  const deployments = await db.query<{ environment: string; version: string; deployed_at: Date }>(
    `SELECT e.name AS environment, v.version, d.deployed_at
       FROM deployments d JOIN environments e ON e.id = d.environment_id JOIN service_versions v ON v.id = d.version_id
      WHERE d.service_id = $1 AND d.undeployed_at IS NULL ORDER BY e.name`,
    [service.id],
  )
  const consumes = await integrations(
    db,
    `SELECT DISTINCT ON (p.provider_id) other.name AS service, v.version, p.content_hash, p.published_at
       FROM publications p JOIN service_versions v ON v.id = p.consumer_version_id JOIN services other ON other.id = p.provider_id
      WHERE v.service_id = $1 ORDER BY p.provider_id, v.id DESC`,
    service.id,
  )
  const provides = await integrations(
    db,
    `SELECT DISTINCT ON (v.service_id) other.name AS service, v.version, p.content_hash, p.published_at
       FROM publications p JOIN service_versions v ON v.id = p.consumer_version_id JOIN services other ON other.id = v.service_id
      WHERE p.provider_id = $1 ORDER BY v.service_id, v.id DESC`,
    service.id,
  )
  return {
    name: service.name,
    mainBranch: service.main_branch,
    createdAt: service.created_at,
    versions: versions.map((v) => ({
      version: v.version,
      branches: branches.get(v.id) ?? [],
      tags: tags.get(v.id) ?? [],
      createdAt: v.created_at,
    })),
    branches: heads.map((h) => ({ name: h.branch, latestVersion: h.version })),
    deployments: deployments.map((d) => ({ environment: d.environment, version: d.version, deployedAt: d.deployed_at })),
    consumes,
    provides,
  }
}

async function integrations(db: Queryable, sql: string, serviceId: number): Promise<Integration[]> {
  const rows = await db.query<{ service: string; version: string; content_hash: string; published_at: Date }>(sql, [serviceId])
  const latest = await latestVerifications(
    db,
    rows.map((r) => r.content_hash),
  )
  return rows
    .map((r) => ({
      service: r.service,
      consumerVersion: r.version,
      contentHash: r.content_hash,
      publishedAt: r.published_at,
      latestVerification: latest.get(r.content_hash) ?? null,
    }))
    .sort((a, b) => (a.service < b.service ? -1 : 1))
}

/** The most recent verification of each content (a content has exactly one provider, so this is that provider's). */
export async function latestVerifications(db: Queryable, hashes: readonly string[]): Promise<Map<string, LatestVerification>> {
  if (hashes.length === 0) return new Map()
  const rows = await db.query<{ content_hash: string; version: string; success: boolean; verified_at: Date }>(
    `SELECT DISTINCT ON (vr.content_hash) vr.content_hash, pv.version, vr.success, vr.verified_at
       FROM verifications vr JOIN service_versions pv ON pv.id = vr.provider_version_id
      WHERE vr.content_hash = ANY($1::text[])
      ORDER BY vr.content_hash, vr.verified_at DESC, vr.id DESC`,
    [hashes],
  )
  return new Map(rows.map((r) => [r.content_hash, { providerVersion: r.version, success: r.success, verifiedAt: r.verified_at }]))
}

export interface VersionCreated {
  service: string
  version: string
  branches: string[]
  /** False when the service already had this version (and branch): nothing changed. */
  changed: boolean
}

/**
 * Registers `service@version` (and the service) so a provider nobody consumes yet can record its
 * deployments: Pact's create-or-update-version. Idempotent; a branch is added to the version's branches.
 */
export async function createVersion(
  tx: Queryable,
  input: { service: string; version: string; branch?: string | undefined },
  now: Date,
): Promise<VersionCreated> {
  const before = await findVersion(tx, input.service, input.version)
  const serviceId = (await ensureServices(tx, [input.service], now)).get(input.service)!
  const versionId = await ensureVersion(tx, serviceId, input.version, now)
  const known = (await branchesOf(tx, [versionId])).get(versionId) ?? []
  await addBranch(tx, versionId, input.branch, now)
  const branches = input.branch === undefined || known.includes(input.branch) ? known : [...known, input.branch].sort()
  return {
    service: input.service,
    version: input.version,
    branches,
    changed: before.versionId === undefined || branches.length !== known.length,
  }
}
