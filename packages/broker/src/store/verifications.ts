/** Recording verification results: a provider version's outcome for each content hash it replayed. */
import type { Received, verificationRequestSchema } from '@treaty/core/wire'
import { BrokerError, BrokerErrorCodes } from '../errors.js'
import type { BrokerEvent } from '../webhooks/events.js'
import { addBranch, ensureServices, ensureVersion } from './common.js'
import type { Queryable } from './database.js'

/** A verification request after validation: each result's `expectations` defaulted to `[]`, stored as given. */
export type VerificationInput = Received<typeof verificationRequestSchema>

export interface VerificationRecorded {
  provider: string
  providerVersion: string
  success: boolean
  results: { contentHash: string; consumer: string; success: boolean }[]
}

export async function recordVerification(
  tx: Queryable,
  input: VerificationInput,
  now: Date,
): Promise<{ result: VerificationRecorded; events: BrokerEvent[] }> {
  const seen = new Map<string, number>()
  input.results.forEach((r, i) => {
    if (seen.has(r.contentHash)) {
      throw new BrokerError(
        BrokerErrorCodes.VALIDATION,
        `body.results[${i}].contentHash repeats results[${seen.get(r.contentHash)}]; send one result per content hash`,
        { path: `body.results[${i}].contentHash` },
      )
    }
    seen.set(r.contentHash, i)
    // A success one of its own expectations contradicts would let can-i-deploy say yes beside a recorded failure.
    const failed = r.expectations.findIndex((e) => !e.success)
    if (r.success && failed >= 0) {
      throw new BrokerError(
        BrokerErrorCodes.VALIDATION,
        `body.results[${i}].success is true but expectations[${failed}] failed; a result succeeds only when every expectation does`,
        { path: `body.results[${i}].success` },
      )
    }
  })

  const hashes = input.results.map((r) => r.contentHash)
  const contents = await tx.query<{ hash: string; consumer: string; provider: string }>(
    `SELECT c.hash, cs.name AS consumer, ps.name AS provider
       FROM contents c JOIN services cs ON cs.id = c.consumer_id JOIN services ps ON ps.id = c.provider_id
      WHERE c.hash = ANY($1::text[])`,
    [hashes],
  )
  const byHash = new Map(contents.map((c) => [c.hash, c]))
  input.results.forEach((r, i) => {
    const c = byHash.get(r.contentHash)
    const path = `body.results[${i}].contentHash`
    if (!c) {
      throw new BrokerError(
        BrokerErrorCodes.CONTENT_NOT_FOUND,
        `${path}: no contract with content hash ${r.contentHash} was ever published`,
        {
          path,
        },
      )
    }
    if (c.provider !== input.provider) {
      throw new BrokerError(
        BrokerErrorCodes.CONTENT_NOT_FOUND,
        `${path}: content ${r.contentHash.slice(0, 12)}… is ${c.consumer}'s contract with ${c.provider}, not with ${input.provider}`,
        { path },
      )
    }
  })

  const ids = await ensureServices(tx, [input.provider], now)
  const versionId = await ensureVersion(tx, ids.get(input.provider)!, input.providerVersion, now)
  await addBranch(tx, versionId, input.branch, now)
  let verifiedAt = now
  for (const r of input.results) {
    // Never stamped before an earlier result of the content: "latest" is read by time (then record order), and
    // a broker instance whose clock is behind must not rank its later failure under an earlier success.
    const [row] = await tx.query<{ verified_at: Date }>(
      `INSERT INTO verifications (provider_version_id, content_hash, success, expectations, verified_at)
       VALUES ($1, $2, $3, $4::jsonb, GREATEST($5::timestamptz, (SELECT max(verified_at) FROM verifications WHERE content_hash = $2)))
       RETURNING verified_at`,
      [versionId, r.contentHash, r.success, JSON.stringify(r.expectations), now],
    )
    const stamped = new Date(row!.verified_at)
    if (stamped > verifiedAt) verifiedAt = stamped
  }
  const result: VerificationRecorded = {
    provider: input.provider,
    providerVersion: input.providerVersion,
    success: input.results.every((r) => r.success),
    results: input.results.map((r) => ({ contentHash: r.contentHash, consumer: byHash.get(r.contentHash)!.consumer, success: r.success })),
  }
  // The latest stamp of this request, so a receiver ordering results by verifiedAt orders them as the reads do.
  const data = { ...result, ...(input.branch ? { branch: input.branch } : {}), verifiedAt: verifiedAt.toISOString() }
  return { result, events: [{ event: 'verification_published', data }] }
}
