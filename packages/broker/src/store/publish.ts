/**
 * Publishing a consumer version's contracts: all or nothing, in one transaction.
 *
 * Rows are created in a fixed order (services by name, the version, contents by hash, publications by
 * provider) so that concurrent publishes, from any number of brokers, take their locks in the same order
 * and do not deadlock. Identical content for a consumer version and provider is a no-op; different content
 * is a conflict unless the publisher asked to overwrite, and even then while an environment runs that version.
 */
import { type Contract, canonicalContract, canonicalJson, contractHash } from '@treaty/core'
import type { publishContractsRequestSchema, Received } from '@treaty/core/wire'
import { BrokerError, BrokerErrorCodes } from '../errors.js'
import type { BrokerEvent } from '../webhooks/events.js'
import { addBranch, addTags, ensureServices, ensureVersion } from './common.js'
import type { Queryable } from './database.js'
import { serviceNames, typosOf } from './known-names.js'
import { conflictHint, type ReplaceableFact, refuseReplacingWhatIsRead } from './running.js'

/** A publish request whose contract documents were validated, each with `consumer` equal to the publishing consumer. */
export type PublishInput = Omit<Received<typeof publishContractsRequestSchema>, 'contracts'> & { contracts: Contract[] }

export type ContractPublishStatus = 'created' | 'unchanged' | 'overwritten'

export interface PublishResult {
  /** `unchanged` when every contract was already there with the same content. */
  status: 'published' | 'unchanged'
  consumer: string
  version: string
  contracts: { provider: string; contentHash: string; status: ContractPublishStatus }[]
  /** Sentences for the publisher that change nothing: a consumer or provider named for the first time that is close to a known service. */
  notices?: string[]
}

interface Prepared {
  index: number
  provider: string
  hash: string
  document: string
  channels: string[]
}

export function prepareContract(contract: Contract, index: number): Prepared {
  return {
    index,
    provider: contract.provider,
    hash: contractHash(contract),
    document: canonicalJson(canonicalContract(contract)),
    channels: [...new Set(contract.expectations.map((e) => e.channel))].sort(),
  }
}

export async function publishContracts(
  tx: Queryable,
  input: PublishInput,
  now: Date,
): Promise<{ result: PublishResult; events: BrokerEvent[] }> {
  const prepared = input.contracts.map(prepareContract)
  const notices = await newServiceNotices(
    tx,
    input.consumer,
    prepared.map((p) => p.provider),
  )
  const ids = await ensureServices(tx, [input.consumer, ...prepared.map((p) => p.provider)], now)
  const consumerId = ids.get(input.consumer)!
  const versionId = await ensureVersion(tx, consumerId, input.version, now)
  await addBranch(tx, versionId, input.branch, now)
  await addTags(tx, versionId, input.tags ?? [], now)

  for (const p of [...prepared].sort((a, b) => (a.hash < b.hash ? -1 : a.hash > b.hash ? 1 : 0))) {
    await tx.query(
      `INSERT INTO contents (hash, consumer_id, provider_id, document, channels, created_at)
       VALUES ($1, $2, $3, $4, $5::jsonb, $6) ON CONFLICT (hash) DO NOTHING`,
      [p.hash, consumerId, ids.get(p.provider)!, p.document, JSON.stringify(p.channels), now],
    )
  }

  const statuses = new Map<number, ContractPublishStatus>()
  // Contracts this version already holds with other content: replaced under overwrite, a conflict otherwise.
  const differing: { p: Prepared; existing: string }[] = []
  for (const p of [...prepared].sort((a, b) => (a.provider < b.provider ? -1 : 1))) {
    const providerId = ids.get(p.provider)!
    const inserted = await tx.query(
      `INSERT INTO publications (consumer_version_id, provider_id, content_hash, published_at)
       VALUES ($1, $2, $3, $4) ON CONFLICT (consumer_version_id, provider_id) DO NOTHING RETURNING id`,
      [versionId, providerId, p.hash, now],
    )
    if (inserted.length > 0) {
      statuses.set(p.index, 'created')
      continue
    }
    const [existing] = await tx.query<{ content_hash: string }>(
      'SELECT content_hash FROM publications WHERE consumer_version_id = $1 AND provider_id = $2 FOR UPDATE',
      [versionId, providerId],
    )
    if (existing!.content_hash === p.hash) statuses.set(p.index, 'unchanged')
    else differing.push({ p, existing: existing!.content_hash })
  }
  if (differing.length > 0) {
    const facts = await contractFacts(tx, input, consumerId, versionId, differing)
    if (!input.overwrite) {
      throw conflictError(input, differing, await conflictHint(tx, facts, now, 'pass overwrite: true (treaty publish --overwrite)'))
    }
    await refuseReplacingWhatIsRead(tx, facts, now)
    for (const { p } of differing) {
      await tx.query('UPDATE publications SET content_hash = $3, published_at = $4 WHERE consumer_version_id = $1 AND provider_id = $2', [
        versionId,
        ids.get(p.provider)!,
        p.hash,
        now,
      ])
      statuses.set(p.index, 'overwritten')
    }
  }

  const contracts = prepared.map((p) => ({ provider: p.provider, contentHash: p.hash, status: statuses.get(p.index)! }))
  const changed = prepared.filter((p) => statuses.get(p.index) !== 'unchanged')
  const events: BrokerEvent[] = []
  if (changed.length > 0) {
    const base = { consumer: input.consumer, version: input.version, ...(input.branch ? { branch: input.branch } : {}) }
    events.push({ event: 'contract_published', data: { ...base, contracts } })
    for (const p of changed) {
      const previous = await previousContent(tx, consumerId, ids.get(p.provider)!, versionId)
      if (previous !== p.hash) {
        events.push({
          event: 'contract_content_changed',
          data: { ...base, provider: p.provider, contentHash: p.hash, previousContentHash: previous ?? null, channels: p.channels },
        })
      }
    }
  }
  return {
    result: {
      status: changed.length > 0 ? 'published' : 'unchanged',
      consumer: input.consumer,
      version: input.version,
      contracts,
      ...(notices.length ? { notices } : {}),
    },
    events,
  }
}

/**
 * A service the broker never saw, one or two edits from a known one: likely a typo. A misspelt provider is one
 * nothing verifies, which can-i-deploy passes as not deployed; a misspelt consumer publishes contracts that
 * can-i-deploy never reads for the real one's deployments. Said, not refused: services are new some day.
 */
async function newServiceNotices(tx: Queryable, consumer: string, providers: readonly string[]): Promise<string[]> {
  const named = [...new Set([consumer, ...providers])]
  const existing = await tx.query<{ name: string }>('SELECT name FROM services WHERE name = ANY($1::text[])', [named])
  const fresh = named.filter((p) => !existing.some((e) => e.name === p))
  // Every service's name only when one is new: a publish by and to known services reads no more than it did.
  if (fresh.length === 0) return []
  const known = await serviceNames(tx)
  const notices: string[] = []
  for (const name of fresh) {
    const near = typosOf(name, known).filter((k) => !named.includes(k))
    if (near.length === 0) continue
    const meant = near.map((n) => JSON.stringify(n)).join(' or ')
    notices.push(
      name === consumer
        ? `consumer ${name} is new to the broker; did you mean ${meant}? can-i-deploy judges that service's deployments by its own contracts, never by these`
        : `${name} is new to the broker; did you mean ${meant}? Nothing verifies a contract with a misspelt provider, and can-i-deploy passes it as not deployed`,
    )
  }
  return notices
}

/** The consumer version's stored contracts that `differing` would replace, as facts can-i-deploy reads on their channels. */
async function contractFacts(
  tx: Queryable,
  input: PublishInput,
  consumerId: number,
  versionId: number,
  differing: readonly { p: Prepared; existing: string }[],
): Promise<ReplaceableFact[]> {
  const rows = await tx.query<{ hash: string; channels: string[] }>('SELECT hash, channels FROM contents WHERE hash = ANY($1::text[])', [
    differing.map((d) => d.existing),
  ])
  return differing.map(({ p, existing }) => ({
    service: input.consumer,
    serviceId: consumerId,
    version: input.version,
    versionId,
    what: `its contract with ${p.provider}`,
    role: 'read',
    channels: rows.find((r) => r.hash === existing)?.channels ?? [],
    path: `body.contracts[${p.index}]`,
  }))
}

/** The content the consumer published for this provider from its previous version (by version order). */
async function previousContent(tx: Queryable, consumerId: number, providerId: number, versionId: number): Promise<string | undefined> {
  const [row] = await tx.query<{ content_hash: string }>(
    `SELECT p.content_hash FROM publications p JOIN service_versions v ON v.id = p.consumer_version_id
      WHERE v.service_id = $1 AND p.provider_id = $2 AND v.id < $3
      ORDER BY v.id DESC LIMIT 1`,
    [consumerId, providerId, versionId],
  )
  return row?.content_hash
}

function conflictError(input: PublishInput, conflicts: { p: Prepared; existing: string }[], hint: string): BrokerError {
  const first = conflicts[0]!
  const which = conflicts.map((c) => c.p.provider).join(', ')
  return new BrokerError(
    BrokerErrorCodes.CONTRACT_CONFLICT,
    `${input.consumer} ${input.version} already has a different contract with ${which} ` +
      `(stored ${first.existing.slice(0, 12)}…, published ${first.p.hash.slice(0, 12)}…); nothing was published`,
    { path: `body.contracts[${first.p.index}]`, hint },
  )
}
