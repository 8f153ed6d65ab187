/** Reading contract documents back: by consumer version, by consumer branch head, or the latest. */
import type { Contract } from '@treaty/core'
import { BrokerError, BrokerErrorCodes } from '../errors.js'
import { findVersion } from './common.js'
import type { Queryable } from './database.js'
import { unknownService, unknownVersion } from './known-names.js'

export interface StoredContract {
  consumer: string
  consumerVersion: string
  provider: string
  contentHash: string
  publishedAt: Date
  branches: string[]
  contract: Contract
}

interface Row {
  consumer: string
  version: string
  provider: string
  content_hash: string
  published_at: Date
  branches: string[]
  document: string
}

const SELECT = `
  SELECT cs.name AS consumer, v.version, ps.name AS provider, p.content_hash, p.published_at, c.document,
         ARRAY(SELECT b.branch FROM version_branches b WHERE b.version_id = v.id ORDER BY b.branch) AS branches
    FROM publications p
    JOIN service_versions v ON v.id = p.consumer_version_id
    JOIN services cs ON cs.id = v.service_id
    JOIN services ps ON ps.id = p.provider_id
    JOIN contents c ON c.hash = p.content_hash`

const toStored = (r: Row): StoredContract => ({
  consumer: r.consumer,
  consumerVersion: r.version,
  provider: r.provider,
  contentHash: r.content_hash,
  publishedAt: r.published_at,
  branches: r.branches,
  contract: JSON.parse(r.document) as Contract,
})

export interface ContractQuery {
  version?: string
  branch?: string
}

/** One consumer's contract with one provider: of `version`, of the head of `branch`, or of the latest version. */
export async function getContract(db: Queryable, consumer: string, provider: string, q: ContractQuery): Promise<StoredContract> {
  let rows: Row[]
  if (q.version !== undefined) {
    rows = await db.query<Row>(`${SELECT} WHERE cs.name = $1 AND ps.name = $2 AND v.version = $3`, [consumer, provider, q.version])
  } else if (q.branch !== undefined) {
    rows = await db.query<Row>(
      `${SELECT} WHERE cs.name = $1 AND ps.name = $2
         AND EXISTS (SELECT 1 FROM version_branches b WHERE b.version_id = v.id AND b.branch = $3)
       ORDER BY v.id DESC LIMIT 1`,
      [consumer, provider, q.branch],
    )
  } else {
    rows = await db.query<Row>(`${SELECT} WHERE cs.name = $1 AND ps.name = $2 ORDER BY v.id DESC LIMIT 1`, [consumer, provider])
  }
  if (rows[0]) return toStored(rows[0])
  throw await explainMissing(db, consumer, provider, q)
}

/** Every contract one consumer version published, by provider name. */
export async function getContractsOfVersion(db: Queryable, consumer: string, version: string): Promise<StoredContract[]> {
  const ids = await findVersion(db, consumer, version)
  if (ids.serviceId === undefined) throw await unknownService(db, consumer, 'params.consumer')
  if (ids.versionId === undefined) throw await unknownVersion(db, consumer, ids.serviceId, version, 'query.version')
  const rows = await db.query<Row>(`${SELECT} WHERE v.id = $1 ORDER BY ps.name`, [ids.versionId])
  return rows.map(toStored)
}

/** The most useful 404: which of consumer, provider, version or contract is the missing piece. */
async function explainMissing(db: Queryable, consumer: string, provider: string, q: ContractQuery): Promise<BrokerError> {
  const known = await db.query<{ name: string }>('SELECT name FROM services WHERE name = ANY($1::text[])', [[consumer, provider]])
  const names = new Set(known.map((k) => k.name))
  if (!names.has(consumer)) return unknownService(db, consumer, 'params.consumer')
  if (!names.has(provider)) return unknownService(db, provider, 'params.provider')
  if (q.version !== undefined) {
    const ids = await findVersion(db, consumer, q.version)
    if (ids.serviceId !== undefined && ids.versionId === undefined)
      return unknownVersion(db, consumer, ids.serviceId, q.version, 'query.version')
  }
  const which = q.version !== undefined ? ` ${q.version}` : q.branch !== undefined ? ` on branch ${q.branch}` : ''
  // A branch that exists for other contracts, or not at all, is the field at fault; otherwise the provider is.
  const path = q.version === undefined && q.branch !== undefined ? 'query.branch' : 'params.provider'
  return new BrokerError(BrokerErrorCodes.CONTRACT_NOT_FOUND, `${consumer}${which} has published no contract with ${provider}`, { path })
}
