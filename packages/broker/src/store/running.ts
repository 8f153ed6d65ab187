/**
 * What an environment runs now, as can-i-deploy reads it: a version deployed there, or released there and still
 * supported. Facts can-i-deploy judges others against must not change under a version that runs.
 */
import { BrokerError, BrokerErrorCodes } from '../errors.js'
import type { Queryable } from './database.js'

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

/**
 * Refuses (409 STILL_DEPLOYED) to replace `what` (a published fact of `service` `version`, e.g. its contract with a
 * provider) while an environment runs that version: can-i-deploy would judge other services against a fact the
 * running version does not hold, and say yes to a change that breaks it.
 */
export async function refuseReplacingWhatRuns(
  tx: Queryable,
  fact: { service: string; version: string; versionId: number; what: string; path: string },
): Promise<void> {
  // Recording a deployment or a release inserts a row referencing the version (FOR KEY SHARE on it), which FOR
  // UPDATE waits for and then blocks: no environment starts running the version between this check and the replace.
  await tx.query('SELECT 1 FROM service_versions WHERE id = $1 FOR UPDATE', [fact.versionId])
  const runs = await runningIn(tx, fact.versionId)
  const first = runs[0]
  if (!first) return
  const who = `${fact.service} ${fact.version}`
  throw new BrokerError(
    BrokerErrorCodes.STILL_DEPLOYED,
    `${who} ${runs.map(runningPhrase).join(', ')}: can-i-deploy judges other services against ${fact.what}, and would judge ` +
      'them against what that version does not run if it were replaced; nothing was published',
    {
      path: fact.path,
      hint: `publish the change under a new version; to replace it anyway, ${leaveFirst(fact.service, fact.version, first)}`,
    },
  )
}

/** `record that orders 1.2.0 left first (treaty record-undeployment …)`: what makes a running version's facts replaceable. */
function leaveFirst(service: string, version: string, run: Running): string {
  return `record that ${service} ${version} left first (${leaveCommand(service, version, run)})`
}

/**
 * The hint of a conflict (a version already holds a different fact): a new version, and overwrite only while no
 * environment runs the version, since overwrite would then be refused too.
 */
export function conflictHint(service: string, version: string, runs: readonly Running[], overwrite: string): string {
  const first = runs[0]
  if (!first) return `publish under a new version, or ${overwrite} to replace it (with an admin token when the broker has tokens)`
  return `publish under a new version (${service} ${version} is ${runs.map(runningPhrase).join(', ')}: what it published stays as it is while it runs)`
}
