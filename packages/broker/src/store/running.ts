/**
 * What can-i-deploy reads of a version: while an environment runs it (deployed there, or released there and still
 * supported), and after it left, while a channel with retention still keeps what it sent or would replay to it on a
 * rollback. Facts can-i-deploy judges others against must not change (nor go) while it reads them.
 */
import { historyHorizon, keptPhrase, windowOf, withinWindow } from '../domain/retention.js'
import { BrokerError, BrokerErrorCodes } from '../errors.js'
import type { Queryable } from './database.js'
import { listChannelRetention } from './stream-safety.js'

/** One environment a version runs in. */
export interface Running {
  environment: string
  /** Released (and still supported) rather than deployed. */
  released: boolean
}

/** `deployed in production` or `released in production`. */
export function runningPhrase(run: Running): string {
  return `${run.released ? 'released in' : 'deployed in'} ${run.environment}`
}

/** The command that records that `service` `version` left the environment, so can-i-deploy stops reading it. */
export function leaveCommand(service: string, version: string, run: Running): string {
  return run.released
    ? `treaty record-support-ended --service ${service} --app-version ${version} --environment ${run.environment}`
    : `treaty record-undeployment --service ${service} --environment ${run.environment}`
}

/** The environments `versionId` runs in now, by name. */
export async function runningIn(db: Queryable, versionId: number): Promise<Running[]> {
  return db.query<Running>(
    `SELECT e.name AS environment, d.released FROM deployments d JOIN environments e ON e.id = d.environment_id
      WHERE d.version_id = $1 AND d.undeployed_at IS NULL ORDER BY e.name`,
    [versionId],
  )
}

/** A published fact of `service` `version` that can-i-deploy judges other services against, e.g. its contract with a provider. */
export interface ReplaceableFact {
  service: string
  serviceId: number
  version: string
  versionId: number
  /** `its contract with pdf-api`, `its provider schema`. */
  what: string
  /** What the version did on the fact's channels: `sent` (its provider schema) or `read` (its contract). */
  role: 'sent' | 'read'
  /** Only these of the version's channels, when the fact is about them alone (one contract). */
  channels?: readonly string[]
  /** The request field that carried the replacement. */
  path: string
}

/**
 * Refuses to replace `facts` (all of one version) while can-i-deploy reads them: 409 STILL_DEPLOYED while an
 * environment runs the version, 409 STILL_RETAINED while a channel still keeps what it sent or would replay to it on
 * a rollback. Replaced, a fact would judge other services by what that version never held, and say yes to a change
 * that breaks it.
 */
export async function refuseReplacingWhatIsRead(tx: Queryable, facts: readonly ReplaceableFact[], now: Date): Promise<void> {
  // Recording a deployment or a release inserts a row referencing the version (FOR KEY SHARE on it), which FOR
  // UPDATE waits for and then blocks: no environment starts running the version between this check and the replace.
  await tx.query('SELECT 1 FROM service_versions WHERE id = $1 FOR UPDATE', [facts[0]!.versionId])
  const refusal = await replaceRefusal(tx, facts, now)
  if (refusal) throw refusal.error
}

/**
 * The hint of a conflict (the version already holds different `facts`): a new version, and overwrite only when it
 * would be accepted for every one of them.
 */
export async function conflictHint(tx: Queryable, facts: readonly ReplaceableFact[], now: Date, overwrite: string): Promise<string> {
  const refusal = await replaceRefusal(tx, facts, now)
  if (refusal) return `publish under a new version (${refusal.reason})`
  return `publish under a new version, or ${overwrite} to replace it (with an admin token when the broker has tokens)`
}

/** Why `facts` (all of one version) may not be replaced now, as the error and as a reason for a hint; undefined when they may. */
async function replaceRefusal(
  tx: Queryable,
  facts: readonly ReplaceableFact[],
  now: Date,
): Promise<{ error: BrokerError; reason: string } | undefined> {
  const { service, serviceId, version, versionId } = facts[0]!
  const who = `${service} ${version}`
  const runs = await runningIn(tx, versionId)
  const first = runs[0]
  if (first) {
    const where = runs.map(runningPhrase).join(', ')
    return {
      reason: `${who} is ${where}: what it published stays as it is while it runs`,
      error: new BrokerError(
        BrokerErrorCodes.STILL_DEPLOYED,
        `${who} ${where}: can-i-deploy judges other services against ${facts[0]!.what}, and would judge them against what ` +
          'that version does not run if it were replaced; nothing was published',
        {
          path: facts[0]!.path,
          hint: `publish the change under a new version; to replace it anyway, record that ${who} left first (${leaveCommand(service, version, first)})`,
        },
      ),
    }
  }
  const spans = await deploymentSpans(tx, service, serviceId, versionId)
  for (const fact of facts) {
    const only = fact.channels
    const own = only ? spans.map((s) => ({ ...s, [fact.role]: s[fact.role].filter((c) => only.includes(c)) })) : spans
    const kept = await stillKept(tx, own, [fact.role], now)
    if (!kept) continue
    const passes = kept.until && `${kept.until.toISOString()}, when the window has passed`
    return {
      reason: `${kept.phrase}: what it published stays as it is ${passes ? `until ${passes}` : 'while that holds'}`,
      error: new BrokerError(
        BrokerErrorCodes.STILL_RETAINED,
        `${kept.phrase}: can-i-deploy still checks other services against ${fact.what}, and would check them against what ` +
          'that version never held if it were replaced; nothing was published',
        {
          path: fact.path,
          hint: `publish the change under a new version${passes ? `, or replace it after ${passes}` : `; ${kept.forever}`}`,
        },
      ),
    }
  }
  return undefined
}

/** A deployment (live or ended) of a version can-i-deploy reads, with the channels it sent on and read. */
export interface DeploymentSpanRow {
  environment: string
  service: string
  version: string
  released: boolean
  undeployed_at: Date | null
  sent: string[]
  read: string[]
}

/**
 * Every deployment, live or ended, of `versionId` of `service` (of all its versions when undefined, and then also of
 * the consumer versions holding a contract with it), with the channels each sent on and read: a version sends on
 * the channels of its service's contracts and reads those of its own; a consumer version losing its contract with
 * the service reads only that contract's channels. The service's own rows come first.
 */
export async function deploymentSpans(
  tx: Queryable,
  service: string,
  serviceId: number,
  versionId: number | undefined,
): Promise<DeploymentSpanRow[]> {
  return tx.query<DeploymentSpanRow>(
    `WITH doomed AS (
       SELECT id AS version_id FROM service_versions WHERE service_id = $1 AND ($2::bigint IS NULL OR id = $2)
       UNION
       SELECT p.consumer_version_id FROM publications p JOIN contents c ON c.hash = p.content_hash
        WHERE $2::bigint IS NULL AND c.provider_id = $1
     )
     SELECT e.name AS environment, s.name AS service, v.version, d.released, d.undeployed_at,
            ARRAY(SELECT DISTINCT ch FROM contents c, jsonb_array_elements_text(c.channels) AS ch
                   WHERE d.service_id = $1 AND c.provider_id = $1 ORDER BY ch) AS sent,
            ARRAY(SELECT DISTINCT ch FROM contents c, jsonb_array_elements_text(c.channels) AS ch
                   WHERE c.hash IN (SELECT content_hash FROM publications WHERE consumer_version_id = d.version_id)
                     AND (d.service_id = $1 OR c.provider_id = $1)
                   ORDER BY ch) AS read
       FROM deployments d JOIN doomed ON doomed.version_id = d.version_id
       JOIN environments e ON e.id = d.environment_id
       JOIN service_versions v ON v.id = d.version_id
       JOIN services s ON s.id = d.service_id
      ORDER BY s.name <> $3, e.name, v.version`,
    [serviceId, versionId ?? null, service],
  )
}

/**
 * The first ended deployment among `spans` whose messages a channel still keeps (it `sent` on it) or would replay
 * to it on a rollback (it `read` it): can-i-deploy's retention check still reads that version. `phrase` says so;
 * `until` is when the window passes, or `forever` says why it never does.
 */
export async function stillKept(
  tx: Queryable,
  spans: readonly DeploymentSpanRow[],
  roles: readonly ('sent' | 'read')[],
  now: Date,
): Promise<{ phrase: string; until?: Date; forever: string } | undefined> {
  const ended = spans.filter((s) => s.undeployed_at !== null)
  if (ended.length === 0) return undefined
  const retention = await listChannelRetention(tx)
  if (historyHorizon(retention, now) === null) return undefined
  for (const span of ended) {
    const left = new Date(span.undeployed_at as Date)
    for (const role of roles) {
      for (const channel of span[role]) {
        const window = windowOf(channel, retention)
        if (!window || !withinWindow(left, window, now)) continue
        const who = `${span.service} ${span.version}`
        return {
          phrase: keptPhrase(who, role, window, left, span.environment, now),
          ...(window.maxAgeMs === null ? {} : { until: new Date(left.getTime() + window.maxAgeMs) }),
          forever: `${window.retainedIn} keeps messages with no max age, so can-i-deploy checks ${who} for as long as that holds`,
        }
      }
    }
  }
  return undefined
}
