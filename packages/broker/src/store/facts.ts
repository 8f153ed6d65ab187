/**
 * Loads the plain facts the domain functions decide from. The SQL only narrows what is loaded; every rule
 * (which version is latest, what is pending, what is deployable) lives in `domain/`.
 */
import type { ContractFact, PublicationFact, VerificationFact } from '../domain/types.js'
import type { Queryable } from './database.js'
import { unknownEnvironment } from './environments.js'
import { existingVersion, unknownService, unknownVersion } from './known-names.js'

export interface VerificationCandidates {
  providerMainBranch: string
  publications: PublicationFact[]
  /** Successful verifications of the candidates' contents by the provider (all pending and WIP need). */
  successes: VerificationFact[]
  /** Those of the environments asked about that exist. */
  knownEnvironments: string[]
}

interface CandidateRow {
  consumer: string
  main_branch: string
  version: string
  version_id: number
  content_hash: string
  published_at: string
  branches: string[]
  deployed_in: string[]
}

/**
 * A provider's candidate publications: a superset of anything a selector or WIP can pick, so the pure
 * selection over it equals the selection over all publications. It holds, for every consumer, the head of
 * each of its branches and its latest version (so "latest" computed over the subset is the true latest),
 * every currently deployed version, and the versions asked for by name. Loading every publication instead
 * would grow with history; this grows with consumers × branches.
 * One round trip (candidates, the provider's successes on them, which environments exist), through the
 * `treaty_verification_candidates` function (store/read-functions.ts): this is the hot read of every provider build.
 */
export async function loadVerificationCandidates(
  db: Queryable,
  provider: string,
  explicit: readonly { consumer: string; version: string }[],
  environments: readonly string[],
): Promise<VerificationCandidates> {
  const [result] = await db.query<{
    facts: {
      main_branch: string | null
      candidates: CandidateRow[]
      successes: { content_hash: string; version: string; verified_at: string; branches: string[] }[]
      environments: string[]
    }
  }>('SELECT treaty_verification_candidates($1, $2::text[], $3::text[], $4::text[]) AS facts', [
    provider,
    explicit.map((e) => e.consumer),
    explicit.map((e) => e.version),
    environments,
  ])
  const row = result?.facts
  return {
    providerMainBranch: row?.main_branch ?? 'main',
    knownEnvironments: row?.environments ?? [],
    publications: (row?.candidates ?? []).map((r) => ({
      consumer: r.consumer,
      consumerVersion: r.version,
      versionOrder: r.version_id,
      branches: r.branches,
      consumerMainBranch: r.main_branch,
      contentHash: r.content_hash,
      publishedAt: new Date(r.published_at),
      deployedIn: r.deployed_in,
    })),
    successes: (row?.successes ?? []).map((r) => ({
      contentHash: r.content_hash,
      provider,
      providerVersion: r.version,
      providerBranches: r.branches,
      success: true,
      verifiedAt: new Date(r.verified_at),
    })),
  }
}

export async function loadDocuments(db: Queryable, hashes: readonly string[]): Promise<Map<string, string>> {
  if (hashes.length === 0) return new Map()
  const rows = await db.query<{ hash: string; document: string }>('SELECT hash, document FROM contents WHERE hash = ANY($1::text[])', [
    hashes,
  ])
  return new Map(rows.map((r) => [r.hash, r.document]))
}

interface ContractRow {
  consumer: string
  version: string
  provider: string
  content_hash: string
  channels: string[]
}

const toContractFact = (r: ContractRow): ContractFact => ({
  consumer: r.consumer,
  consumerVersion: r.version,
  provider: r.provider,
  contentHash: r.content_hash,
  channels: r.channels,
})

const CONTRACTS = `
  SELECT cs.name AS consumer, v.version, ps.name AS provider, p.content_hash, c.channels
    FROM publications p
    JOIN service_versions v ON v.id = p.consumer_version_id
    JOIN services cs ON cs.id = v.service_id
    JOIN services ps ON ps.id = p.provider_id
    JOIN contents c ON c.hash = p.content_hash`

interface VerificationRow {
  content_hash: string
  provider: string
  version: string
  success: boolean
  verified_at: Date
}

const VERIFICATIONS = `
  SELECT vr.content_hash, ps.name AS provider, pv.version, vr.success, vr.verified_at
    FROM verifications vr
    JOIN service_versions pv ON pv.id = vr.provider_version_id
    JOIN services ps ON ps.id = pv.service_id`

const toVerificationFact = (r: VerificationRow): VerificationFact => ({
  contentHash: r.content_hash,
  provider: r.provider,
  providerVersion: r.version,
  providerBranches: [],
  success: r.success,
  verifiedAt: r.verified_at,
})

/** Where can-i-deploy and the matrix take the service and version from. */
const QUERY = { service: 'query.service', version: 'query.version', environment: 'query.environment' }

export interface DeploymentFacts {
  consumes: ContractFact[]
  consumedBy: ContractFact[]
  /** Versions deployed in the environment of the providers `service@version` has contracts with. */
  deployed: { service: string; version: string }[]
  verifications: VerificationFact[]
}

/** Timestamps inside json_agg arrive as ISO strings. */
type Json<T> = { [K in keyof T]: T[K] extends Date ? string : T[K] }

/**
 * What can-i-deploy needs for `service@version` going to `environment`, in one round trip through the
 * `treaty_deployment_facts` function (store/read-functions.ts): can-i-deploy is the hot read of a release
 * pipeline.
 */
export async function loadDeploymentFacts(db: Queryable, service: string, version: string, environment: string): Promise<DeploymentFacts> {
  const [result] = await db.query<{
    facts: {
      service_id: number | null
      version_id: number | null
      environment_id: number | null
      consumes: ContractRow[]
      consumed_by: ContractRow[]
      deployed: { service: string; version: string }[]
      verifications: Json<VerificationRow>[]
    }
  }>('SELECT treaty_deployment_facts($1, $2, $3) AS facts', [service, version, environment])
  const row = result?.facts
  if (row?.service_id == null) throw await unknownService(db, service, QUERY.service)
  if (row.version_id == null) throw await unknownVersion(db, service, row.service_id, version, QUERY.version)
  if (row.environment_id == null) throw await unknownEnvironment(db, environment, QUERY.environment)
  return {
    consumes: row.consumes.map(toContractFact),
    consumedBy: row.consumed_by.map(toContractFact),
    deployed: row.deployed,
    verifications: row.verifications.map((v) => toVerificationFact({ ...v, verified_at: new Date(v.verified_at) })),
  }
}

export interface MatrixFacts {
  version: string
  consumes: ContractFact[]
  consumedBy: ContractFact[]
  verifications: VerificationFact[]
}

/** What the matrix of `service@version` shows; without a version, of the service's latest version. */
export async function loadMatrixFacts(db: Queryable, service: string, version: string | undefined): Promise<MatrixFacts> {
  let resolved = version
  if (resolved === undefined) {
    const [latest] = await db.query<{ version: string }>(
      'SELECT v.version FROM service_versions v JOIN services s ON s.id = v.service_id WHERE s.name = $1 ORDER BY v.id DESC LIMIT 1',
      [service],
    )
    if (!latest) throw await unknownService(db, service, QUERY.service)
    resolved = latest.version
  }
  const { serviceId, versionId } = await existingVersion(db, service, resolved, QUERY)
  const consumes = (await db.query<ContractRow>(`${CONTRACTS} WHERE p.consumer_version_id = $1 ORDER BY ps.name`, [versionId])).map(
    toContractFact,
  )
  const consumedBy = (
    await db.query<ContractRow>(
      `${CONTRACTS} WHERE p.provider_id = $1
          AND p.content_hash IN (SELECT content_hash FROM verifications WHERE provider_version_id = $2)
        ORDER BY cs.name, v.id DESC`,
      [serviceId, versionId],
    )
  ).map(toContractFact)
  const verifications = await db.query<VerificationRow>(
    `${VERIFICATIONS}
      WHERE vr.content_hash = ANY($1::text[]) OR (vr.provider_version_id = $2)
      ORDER BY vr.verified_at, vr.id`,
    [consumes.map((c) => c.contentHash), versionId],
  )
  return { version: resolved, consumes, consumedBy, verifications: verifications.map(toVerificationFact) }
}
