/**
 * Observations of live traffic (`treaty observe`): recorded per run as cumulative totals, read back as
 * `ObservationFact`s for can-i-deploy and the matrix. Everything a batch names must already exist: the
 * environment, both service versions, and a content that this consumer version published for this provider.
 */
import type { observationsRequestSchema, Received } from '@treaty/core/wire'
import type { ObservationFact } from '../domain/observed.js'
import { BrokerError, BrokerErrorCodes } from '../errors.js'
import type { Queryable } from './database.js'
import { existingEnvironment } from './environments.js'

export type ObservationInput = Received<typeof observationsRequestSchema>

export async function recordObservations(tx: Queryable, input: ObservationInput, now: Date): Promise<{ recorded: number }> {
  const environmentId = await existingEnvironment(tx, input.environment, 'body.environment')
  let i = 0
  for (const o of input.observations) {
    const path = `body.observations[${i++}]`
    const [ids] = await tx.query<{ provider_version_id: number | null; consumer_version_id: number | null; published: boolean }>(
      `SELECT pv.id AS provider_version_id, cv.id AS consumer_version_id,
              EXISTS (SELECT 1 FROM publications p JOIN services ps ON ps.id = p.provider_id
                       WHERE p.consumer_version_id = cv.id AND ps.name = $1 AND p.content_hash = $5) AS published
         FROM (SELECT 1) one
         LEFT JOIN service_versions pv ON pv.version = $2 AND pv.service_id = (SELECT id FROM services WHERE name = $1)
         LEFT JOIN service_versions cv ON cv.version = $4 AND cv.service_id = (SELECT id FROM services WHERE name = $3)`,
      [o.provider, o.providerVersion, o.consumer, o.consumerVersion, o.contentHash],
    )
    if (!ids?.provider_version_id) {
      throw new BrokerError(BrokerErrorCodes.VERSION_NOT_FOUND, `${o.provider} ${o.providerVersion} is not known to the broker`, {
        path: `${path}.providerVersion`,
      })
    }
    if (!ids.consumer_version_id) {
      throw new BrokerError(BrokerErrorCodes.VERSION_NOT_FOUND, `${o.consumer} ${o.consumerVersion} is not known to the broker`, {
        path: `${path}.consumerVersion`,
      })
    }
    if (!ids.published) {
      throw new BrokerError(
        BrokerErrorCodes.CONTENT_NOT_FOUND,
        `${o.consumer} ${o.consumerVersion} published no contract with content ${o.contentHash.slice(0, 12)}… for ${o.provider}`,
        { path: `${path}.contentHash` },
      )
    }
    await tx.query(
      `INSERT INTO observations (run_id, environment_id, provider_version_id, content_hash, consumer_version_id, channel,
                                 messages, mismatches, pointers, example, first_seen_at, last_seen_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $11)
       ON CONFLICT (run_id, environment_id, provider_version_id, content_hash, consumer_version_id, channel) DO UPDATE SET
         messages = GREATEST(observations.messages, EXCLUDED.messages),
         mismatches = GREATEST(observations.mismatches, EXCLUDED.mismatches),
         pointers = CASE WHEN EXCLUDED.messages >= observations.messages THEN EXCLUDED.pointers ELSE observations.pointers END,
         example = COALESCE(observations.example, EXCLUDED.example),
         last_seen_at = EXCLUDED.last_seen_at`,
      [
        input.runId,
        environmentId,
        ids.provider_version_id,
        o.contentHash,
        ids.consumer_version_id,
        o.channel,
        o.messages,
        o.mismatches,
        JSON.stringify(o.pointers),
        o.example ? JSON.stringify(o.example) : null,
        now,
      ],
    )
  }
  return { recorded: input.observations.length }
}

/** Observations against these contents, of any provider version, in any environment. */
export async function loadObservationFacts(db: Queryable, contentHashes: readonly string[]): Promise<ObservationFact[]> {
  if (contentHashes.length === 0) return []
  const rows = await db.query<{
    environment: string
    production: boolean
    provider: string
    provider_version: string
    content_hash: string
    consumer: string
    consumer_version: string
    channel: string
    messages: string | number
    mismatches: string | number
    pointers: ObservationFact['pointers'] | string
    last_seen_at: Date
  }>(
    `SELECT e.name AS environment, e.production, ps.name AS provider, pv.version AS provider_version, o.content_hash,
            cs.name AS consumer, cv.version AS consumer_version, o.channel, o.messages, o.mismatches, o.pointers, o.last_seen_at
       FROM observations o
       JOIN environments e ON e.id = o.environment_id
       JOIN service_versions pv ON pv.id = o.provider_version_id JOIN services ps ON ps.id = pv.service_id
       JOIN service_versions cv ON cv.id = o.consumer_version_id JOIN services cs ON cs.id = cv.service_id
      WHERE o.content_hash = ANY($1::text[])`,
    [contentHashes],
  )
  return rows.map((r) => ({
    environment: r.environment,
    production: r.production,
    provider: r.provider,
    providerVersion: r.provider_version,
    contentHash: r.content_hash,
    consumer: r.consumer,
    consumerVersion: r.consumer_version,
    channel: r.channel,
    messages: Number(r.messages),
    mismatches: Number(r.mismatches),
    pointers: typeof r.pointers === 'string' ? JSON.parse(r.pointers) : r.pointers,
    lastSeenAt: r.last_seen_at,
  }))
}
