/**
 * Read model of consumer → provider pairs for the web UI: one row per pair, its contract as chosen by an
 * optional branch or environment, and what is known about that content's verification. Bounded: a page of
 * pairs at a time (the network graph of 200 services is a few hundred pairs; a page is at most 1000).
 */
import type { Contract } from '@treaty/core'
import { branchesOf } from './common.js'
import { getContract, type StoredContract } from './contracts.js'
import type { Queryable } from './database.js'
import { existingEnvironment } from './environments.js'
import { loadStaticFacts, type StaticFacts } from './provider-schemas.js'
import { type LatestVerification, latestVerifications } from './services.js'

export interface PairQuery {
  limit: number
  offset: number
  /** Case-insensitive substring of the consumer's or provider's name. */
  q?: string
  /** The pair's contract as published by the consumer's head of this branch. */
  branch?: string
  /** The pair's contract as published by the consumer version deployed in this environment. */
  environment?: string
  /** Exactly this consumer. */
  consumer?: string
  /** Exactly this provider. */
  provider?: string
}

export interface PairFacts {
  consumer: string
  provider: string
  consumerVersion: string
  branches: string[]
  contentHash: string
  channels: string[]
  publishedAt: Date
  /** The latest replayed verification of this content, if any. */
  latestVerification: LatestVerification | null
  /** Whether a provider version on the provider's main branch ever verified this content successfully. */
  verifiedOnMain: boolean
  /** The provider's latest version, for a static decision from its provider schema. */
  providerLatestVersion: string | null
}

interface PairRow {
  consumer: string
  provider: string
  version: string
  version_id: number
  content_hash: string
  channels: string[]
  published_at: Date
  provider_latest: string | null
  on_main: boolean
  total: number
}

export async function listPairFacts(db: Queryable, query: PairQuery): Promise<{ total: number; pairs: PairFacts[] }> {
  if (query.environment !== undefined) {
    await existingEnvironment(db, query.environment, 'query.environment')
  }
  const rows = await db.query<PairRow>(
    `WITH chosen AS (
       SELECT DISTINCT ON (v.service_id, p.provider_id)
              c.name AS consumer, pr.name AS provider, pr.id AS provider_id, pr.main_branch AS provider_main,
              v.version, v.id AS version_id, p.content_hash, p.published_at
         FROM publications p
         JOIN service_versions v ON v.id = p.consumer_version_id
         JOIN services c ON c.id = v.service_id
         JOIN services pr ON pr.id = p.provider_id
        WHERE ($1::text IS NULL OR EXISTS (SELECT 1 FROM version_branches b WHERE b.version_id = v.id AND b.branch = $1))
          AND ($2::text IS NULL OR EXISTS (
                SELECT 1 FROM deployments d JOIN environments e ON e.id = d.environment_id
                 WHERE d.version_id = v.id AND d.undeployed_at IS NULL AND e.name = $2))
          AND ($3::text IS NULL OR strpos(lower(c.name), lower($3)) > 0 OR strpos(lower(pr.name), lower($3)) > 0)
          AND ($6::text IS NULL OR c.name = $6) AND ($7::text IS NULL OR pr.name = $7)
        ORDER BY v.service_id, p.provider_id, v.id DESC
     ), page AS (
       SELECT *, count(*) OVER () AS total FROM chosen ORDER BY consumer, provider LIMIT $4 OFFSET $5
     )
     SELECT page.consumer, page.provider, page.version, page.version_id, page.content_hash, page.published_at, page.total,
            ct.channels,
            (SELECT lv.version FROM service_versions lv WHERE lv.service_id = page.provider_id ORDER BY lv.id DESC LIMIT 1)
              AS provider_latest,
            EXISTS (SELECT 1 FROM verifications vr JOIN version_branches vb ON vb.version_id = vr.provider_version_id
                     WHERE vr.content_hash = page.content_hash AND vr.success AND vb.branch = page.provider_main) AS on_main
       FROM page JOIN contents ct ON ct.hash = page.content_hash
      ORDER BY page.consumer, page.provider`,
    [
      query.branch ?? null,
      query.environment ?? null,
      query.q ?? null,
      query.limit,
      query.offset,
      query.consumer ?? null,
      query.provider ?? null,
    ],
  )
  const latest = await latestVerifications(
    db,
    rows.map((r) => r.content_hash),
  )
  const branches = await branchesOf(
    db,
    rows.map((r) => r.version_id),
  )
  const total = rows.length > 0 ? Number(rows[0]!.total) : await countPairs(db, query)
  return {
    total,
    pairs: rows.map((r) => ({
      consumer: r.consumer,
      provider: r.provider,
      consumerVersion: r.version,
      branches: branches.get(r.version_id) ?? [],
      contentHash: r.content_hash,
      channels: r.channels,
      publishedAt: r.published_at,
      latestVerification: latest.get(r.content_hash) ?? null,
      verifiedOnMain: r.on_main,
      providerLatestVersion: r.provider_latest,
    })),
  }
}

/** An offset past the end still reports how many pairs there are. */
async function countPairs(db: Queryable, query: PairQuery): Promise<number> {
  if (query.offset === 0) return 0
  const { total } = await listPairFacts(db, { ...query, offset: 0, limit: 1 })
  return total
}

/** Provider schemas of the providers' latest versions, for the pairs no replay result decides. */
export function loadPairStaticFacts(db: Queryable, pairs: readonly PairFacts[]): Promise<StaticFacts> {
  const undecided = pairs.filter((p) => p.latestVerification === null && p.providerLatestVersion !== null)
  const providers = [...new Map(undecided.map((p) => [p.provider, { provider: p.provider, version: p.providerLatestVersion! }])).values()]
  return loadStaticFacts(
    db,
    providers,
    undecided.map((p) => p.contentHash),
  )
}

/**
 * A consumer version's contract with a provider (default: the latest) and the one the consumer's previous
 * version with a contract with this provider published, for the evolution diff. Not-found errors are getContract's.
 */
export async function loadContractHistory(
  db: Queryable,
  consumer: string,
  provider: string,
  version: string | undefined,
): Promise<{ current: StoredContract; previous: { version: string; contract: Contract } | null }> {
  const current = await getContract(db, consumer, provider, version === undefined ? {} : { version })
  const [before] = await db.query<{ version: string; document: string }>(
    `SELECT v.version, ct.document
       FROM service_versions cur
       JOIN services c ON c.id = cur.service_id AND c.name = $1
       JOIN service_versions v ON v.service_id = cur.service_id AND v.id < cur.id
       JOIN publications p ON p.consumer_version_id = v.id
       JOIN services pr ON pr.id = p.provider_id AND pr.name = $2
       JOIN contents ct ON ct.hash = p.content_hash
      WHERE cur.version = $3
      ORDER BY v.id DESC LIMIT 1`,
    [consumer, provider, current.consumerVersion],
  )
  return { current, previous: before ? { version: before.version, contract: JSON.parse(before.document) as Contract } : null }
}

/** The newest version of a service, or null when it has none (or does not exist). */
export async function latestVersionOf(db: Queryable, service: string): Promise<string | null> {
  const [row] = await db.query<{ version: string }>(
    `SELECT v.version FROM service_versions v JOIN services s ON s.id = v.service_id WHERE s.name = $1 ORDER BY v.id DESC LIMIT 1`,
    [service],
  )
  return row?.version ?? null
}

/** One expectation's outcome in a recorded verification, as the verifier published it. */
export interface VerifiedExpectationResult {
  description: string
  success: boolean
  status?: string
  /** The verifier's mismatch sentences, each naming its JSON pointer. */
  mismatches?: string[]
}

export interface VerificationDetail {
  providerVersion: string
  success: boolean
  verifiedAt: Date
  expectations: VerifiedExpectationResult[]
}

/** The latest replayed verification of a content, with its per-expectation results. */
export async function latestVerificationDetail(db: Queryable, contentHash: string): Promise<VerificationDetail | null> {
  const [row] = await db.query<{ version: string; success: boolean; verified_at: Date; expectations: VerifiedExpectationResult[] }>(
    `SELECT pv.version, vr.success, vr.verified_at, vr.expectations
       FROM verifications vr JOIN service_versions pv ON pv.id = vr.provider_version_id
      WHERE vr.content_hash = $1 ORDER BY vr.verified_at DESC, vr.id DESC LIMIT 1`,
    [contentHash],
  )
  if (!row) return null
  return { providerVersion: row.version, success: row.success, verifiedAt: row.verified_at, expectations: row.expectations }
}
