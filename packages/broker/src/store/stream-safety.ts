/**
 * Storage of stream-aware deployment safety: channel retention, the deployment history a retention window
 * reaches back into, and the consumer versions impact and field usage look at. Rules live in domain/.
 */

import type { Contract } from '@treaty/core'
import type { ChannelRetention, ChannelRetentionRequest } from '@treaty/core/client'
import { type DeploymentSpan, historyHorizon } from '../domain/retention.js'
import type { ContractFact, ExpectationFact } from '../domain/types.js'
import { BrokerError, BrokerErrorCodes } from '../errors.js'
import type { Queryable } from './database.js'
import { existingEnvironment } from './environments.js'

interface RetentionRow {
  channel: string
  policy: ChannelRetention['policy']
  max_age_ms: number | null
  max_messages: number | null
  dead_letter: string | null
  stream: string | null
  source: ChannelRetention['source']
  updated_at: Date
}

// bigint columns come back as float8 so both drivers hand out plain numbers.
const RETENTION_COLUMNS = `channel, policy, max_age_ms::float8 AS max_age_ms, max_messages::float8 AS max_messages,
  dead_letter, stream, source, updated_at`

const toRetention = (r: RetentionRow): ChannelRetention => ({
  channel: r.channel,
  policy: r.policy,
  maxAgeMs: r.max_age_ms,
  maxMessages: r.max_messages,
  deadLetter: r.dead_letter,
  stream: r.stream,
  source: r.source,
  updatedAt: new Date(r.updated_at).toISOString(),
})

export async function putChannelRetention(
  tx: Queryable,
  channel: string,
  r: ChannelRetentionRequest,
  now: Date,
): Promise<{ retention: ChannelRetention; created: boolean }> {
  const existed = await tx.query<{ channel: string }>('SELECT channel FROM channel_retention WHERE channel = $1', [channel])
  const [row] = await tx.query<RetentionRow>(
    `INSERT INTO channel_retention (channel, policy, max_age_ms, max_messages, dead_letter, stream, source, updated_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
     ON CONFLICT (channel) DO UPDATE SET policy = $2, max_age_ms = $3, max_messages = $4, dead_letter = $5,
       stream = $6, source = $7, updated_at = $8
     RETURNING ${RETENTION_COLUMNS}`,
    [channel, r.policy, r.maxAgeMs, r.maxMessages, r.deadLetter, r.stream, r.source, now],
  )
  return { retention: toRetention(row!), created: existed.length === 0 }
}

export async function getChannelRetention(db: Queryable, channel: string): Promise<ChannelRetention> {
  const [row] = await db.query<RetentionRow>(`SELECT ${RETENTION_COLUMNS} FROM channel_retention WHERE channel = $1`, [channel])
  if (!row) {
    throw new BrokerError(BrokerErrorCodes.CHANNEL_NOT_FOUND, `no retention is known for channel ${channel}`, {
      path: 'params.channel',
      hint: `declare it with \`treaty channel set ${channel} --max-age 7d\` or read it with \`treaty channel sync --nats <url>\``,
    })
  }
  return toRetention(row)
}

export async function listChannelRetention(db: Queryable): Promise<ChannelRetention[]> {
  const rows = await db.query<RetentionRow>(`SELECT ${RETENTION_COLUMNS} FROM channel_retention ORDER BY channel`)
  return rows.map(toRetention)
}

export interface RetentionFacts {
  retention: ChannelRetention[]
  /** Deployments in the environment that are current or ended within the longest window. */
  history: DeploymentSpan[]
  /** Contracts with `service` as provider of consumer versions in that history whose deployment ended. */
  consumedByPast: ContractFact[]
}

/** What domain/retention.ts needs for `service` going to `environment`; nothing past the retention table when no channel keeps messages. */
export async function loadRetentionFacts(db: Queryable, service: string, environment: string, now: Date): Promise<RetentionFacts> {
  const retention = await listChannelRetention(db)
  const horizon = historyHorizon(retention, now)
  if (horizon === null) return { retention, history: [], consumedByPast: [] }
  const environmentId = await existingEnvironment(db, environment, 'query.environment')
  const spans = await db.query<{ service: string; version: string; deployed_at: Date; undeployed_at: Date | null }>(
    `SELECT s.name AS service, v.version, d.deployed_at, d.undeployed_at
       FROM deployments d
       JOIN services s ON s.id = d.service_id
       JOIN service_versions v ON v.id = d.version_id
      WHERE d.environment_id = $1 AND (d.undeployed_at IS NULL OR d.undeployed_at >= $2)
      ORDER BY d.id`,
    [environmentId, horizon < new Date(0) ? new Date(0) : horizon],
  )
  const history = spans.map((s) => ({
    service: s.service,
    version: s.version,
    deployedAt: new Date(s.deployed_at),
    undeployedAt: s.undeployed_at === null ? null : new Date(s.undeployed_at),
  }))
  const ended = history.filter((h) => h.undeployedAt !== null && h.service !== service)
  const consumedByPast =
    ended.length === 0
      ? []
      : (
          await db.query<{ consumer: string; version: string; provider: string; content_hash: string; channels: string[] }>(
            `SELECT cs.name AS consumer, v.version, ps.name AS provider, p.content_hash, c.channels
               FROM unnest($1::text[], $2::text[]) AS past (consumer, version)
               JOIN services cs ON cs.name = past.consumer
               JOIN service_versions v ON v.service_id = cs.id AND v.version = past.version
               JOIN publications p ON p.consumer_version_id = v.id
               JOIN services ps ON ps.id = p.provider_id
               JOIN contents c ON c.hash = p.content_hash
              WHERE ps.name = $3`,
            [ended.map((h) => h.service), ended.map((h) => h.version), service],
          )
        ).map((r) => ({
          consumer: r.consumer,
          consumerVersion: r.version,
          provider: r.provider,
          contentHash: r.content_hash,
          channels: r.channels,
        }))
  return { retention, history, consumedByPast }
}

/** Providers with a contract on `channel`: whose consumers a field-usage map looks at. */
export async function providersOfChannel(db: Queryable, channel: string): Promise<string[]> {
  const rows = await db.query<{ provider: string }>(
    `SELECT DISTINCT ps.name AS provider FROM contents c JOIN services ps ON ps.id = c.provider_id
      WHERE c.channels @> jsonb_build_array($1::text) ORDER BY ps.name`,
    [channel],
  )
  return rows.map((r) => r.provider)
}

/** The expectations of each content hash, parsed from the stored documents. */
export async function loadExpectations(db: Queryable, hashes: readonly string[]): Promise<Map<string, ExpectationFact[]>> {
  if (hashes.length === 0) return new Map()
  const rows = await db.query<{ hash: string; document: string }>('SELECT hash, document FROM contents WHERE hash = ANY($1::text[])', [
    hashes,
  ])
  return new Map(rows.map((r) => [r.hash, (JSON.parse(r.document) as Contract).expectations]))
}
