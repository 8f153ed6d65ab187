/**
 * Provider schemas: what a provider version declares it emits, one document per version. Identical content
 * re-published is a no-op; different content is a conflict unless the publisher asked to overwrite (as for
 * contracts; not while an environment runs that version). can-i-deploy reads them, with the expectations of the contents it must judge, for static rows.
 */
import { type Contract, canonicalJson, sha256 } from '@treaty/core'
import type { providerSchemaRequestSchema, Received } from '@treaty/core/wire'
import type { ExpectationFact, ProviderSchemaFact, ProviderSchemaProducer } from '../domain/types.js'
import { BrokerError, BrokerErrorCodes } from '../errors.js'
import { addBranch, ensureServices, ensureVersion, findVersion } from './common.js'
import type { Queryable } from './database.js'
import { unknownService, unknownVersion } from './known-names.js'
import { conflictHint, type ReplaceableFact, refuseReplacingWhatIsRead } from './running.js'

/** A provider schema request for `provider`, its producers already validated (route schema and JSON Schema meta-validation). */
export type ProviderSchemaInput = Received<typeof providerSchemaRequestSchema> & { provider: string }

export interface ProviderSchemaPublished {
  status: 'created' | 'unchanged' | 'overwritten'
  provider: string
  providerVersion: string
  contentHash: string
}

export interface StoredProviderSchema {
  provider: string
  providerVersion: string
  contentHash: string
  publishedAt: Date
  branches: string[]
  producers: ProviderSchemaProducer[]
}

/** The stored document: producers in key order, so the same schema in another order has the same hash. */
export function providerSchemaDocument(producers: readonly ProviderSchemaProducer[]): { document: string; hash: string } {
  const entries = producers
    .map((p) => ({ key: p.key, ...(p.channel === undefined ? {} : { channel: p.channel }), payload: p.payload, headers: p.headers }))
    .map((p) => ({ p, json: canonicalJson(p) }))
    .sort((a, b) => (a.p.key < b.p.key ? -1 : a.p.key > b.p.key ? 1 : a.json < b.json ? -1 : a.json > b.json ? 1 : 0))
  const document = canonicalJson({ producers: entries.map((e) => e.p) })
  return { document, hash: sha256(document) }
}

export async function publishProviderSchema(tx: Queryable, input: ProviderSchemaInput, now: Date): Promise<ProviderSchemaPublished> {
  const { document, hash } = providerSchemaDocument(input.producers)
  const ids = await ensureServices(tx, [input.provider], now)
  const versionId = await ensureVersion(tx, ids.get(input.provider)!, input.providerVersion, now)
  await addBranch(tx, versionId, input.branch, now)
  const base = { provider: input.provider, providerVersion: input.providerVersion, contentHash: hash }
  const inserted = await tx.query(
    `INSERT INTO provider_schemas (provider_version_id, content_hash, document, published_at)
     VALUES ($1, $2, $3, $4) ON CONFLICT (provider_version_id) DO NOTHING RETURNING provider_version_id`,
    [versionId, hash, document, now],
  )
  if (inserted.length > 0) return { status: 'created', ...base }
  const [existing] = await tx.query<{ content_hash: string }>(
    'SELECT content_hash FROM provider_schemas WHERE provider_version_id = $1 FOR UPDATE',
    [versionId],
  )
  if (existing!.content_hash === hash) return { status: 'unchanged', ...base }
  const fact: ReplaceableFact = {
    service: input.provider,
    serviceId: ids.get(input.provider)!,
    version: input.providerVersion,
    versionId,
    what: 'its provider schema',
    role: 'sent',
    path: 'body.producers',
  }
  if (!input.overwrite) {
    throw new BrokerError(
      BrokerErrorCodes.PROVIDER_SCHEMA_CONFLICT,
      `${input.provider} ${input.providerVersion} already has a different provider schema ` +
        `(stored ${existing!.content_hash.slice(0, 12)}…, published ${hash.slice(0, 12)}…); nothing was published`,
      { path: 'body.producers', hint: await conflictHint(tx, [fact], now, 'pass overwrite: true') },
    )
  }
  await refuseReplacingWhatIsRead(tx, [fact], now)
  await tx.query('UPDATE provider_schemas SET content_hash = $2, document = $3, published_at = $4 WHERE provider_version_id = $1', [
    versionId,
    hash,
    document,
    now,
  ])
  return { status: 'overwritten', ...base }
}

/**
 * The provider schema of `version`, or of the latest provider version that published one. `versionPath` names the
 * request field the version came in, for the 404 of an unknown one.
 */
export async function getProviderSchema(
  db: Queryable,
  provider: string,
  version: string | undefined,
  versionPath = 'query.version',
): Promise<StoredProviderSchema> {
  const rows = await db.query<{ version: string; content_hash: string; document: string; published_at: Date; branches: string[] }>(
    `SELECT v.version, ps.content_hash, ps.document, ps.published_at,
            ARRAY(SELECT b.branch FROM version_branches b WHERE b.version_id = v.id ORDER BY b.branch) AS branches
       FROM provider_schemas ps
       JOIN service_versions v ON v.id = ps.provider_version_id
       JOIN services s ON s.id = v.service_id
      WHERE s.name = $1 AND ($2::text IS NULL OR v.version = $2)
      ORDER BY v.id DESC LIMIT 1`,
    [provider, version ?? null],
  )
  const row = rows[0]
  if (row) {
    return {
      provider,
      providerVersion: row.version,
      contentHash: row.content_hash,
      publishedAt: row.published_at,
      branches: row.branches,
      producers: (JSON.parse(row.document) as { producers: ProviderSchemaProducer[] }).producers,
    }
  }
  const ids = await findVersion(db, provider, version ?? '')
  if (ids.serviceId === undefined) throw await unknownService(db, provider, 'params.provider')
  if (version !== undefined && ids.versionId === undefined) throw await unknownVersion(db, provider, ids.serviceId, version, versionPath)
  const which = version === undefined ? '' : ` ${version}`
  throw new BrokerError(BrokerErrorCodes.PROVIDER_SCHEMA_NOT_FOUND, `${provider}${which} has published no provider schema`, {
    path: version === undefined ? 'params.provider' : versionPath,
    hint: '`treaty verify --static --publish` publishes one',
  })
}

export interface StaticFacts {
  providerSchemas: ProviderSchemaFact[]
  expectations: Map<string, ExpectationFact[]>
}

/**
 * Provider schemas of these provider versions and, only when there is one, the expectations of the contents
 * a static decision may need: nothing more is read when no provider version published a schema.
 */
export async function loadStaticFacts(
  db: Queryable,
  providers: readonly { provider: string; version: string }[],
  contentHashes: readonly string[],
): Promise<StaticFacts> {
  const expectations = new Map<string, ExpectationFact[]>()
  if (providers.length === 0) return { providerSchemas: [], expectations }
  const rows = await db.query<{ provider: string; version: string; document: string }>(
    `SELECT s.name AS provider, v.version, ps.document
       FROM unnest($1::text[], $2::text[]) AS asked (provider, version)
       JOIN services s ON s.name = asked.provider
       JOIN service_versions v ON v.service_id = s.id AND v.version = asked.version
       JOIN provider_schemas ps ON ps.provider_version_id = v.id`,
    [providers.map((p) => p.provider), providers.map((p) => p.version)],
  )
  const providerSchemas = rows.map((r) => ({
    provider: r.provider,
    providerVersion: r.version,
    producers: (JSON.parse(r.document) as { producers: ProviderSchemaProducer[] }).producers,
  }))
  if (providerSchemas.length === 0 || contentHashes.length === 0) return { providerSchemas, expectations }
  const withSchema = [...new Set(providerSchemas.map((s) => s.provider))]
  const documents = await db.query<{ hash: string; document: string }>(
    `SELECT c.hash, c.document FROM contents c JOIN services ps ON ps.id = c.provider_id
      WHERE c.hash = ANY($1::text[]) AND ps.name = ANY($2::text[])`,
    [contentHashes, withSchema],
  )
  for (const d of documents) expectations.set(d.hash, (JSON.parse(d.document) as Contract).expectations)
  return { providerSchemas, expectations }
}
