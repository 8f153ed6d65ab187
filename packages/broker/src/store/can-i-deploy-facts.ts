/**
 * Every fact can-i-deploy decides from, gathered in one call so the route then decides with pure functions
 * (domain/can-i-deploy.ts). Reads stay narrow: retention history only when a channel keeps messages, provider
 * schemas and expectations only for rows no replay result answers (the domain's own `staticCandidates` says
 * which, as `historyHorizon` does for retention).
 */
import { type CanIDeployInput, staticCandidates } from '../domain/can-i-deploy.js'
import { retainedPairs } from '../domain/retention.js'
import type { Queryable } from './database.js'
import { loadDeploymentFacts } from './facts.js'
import { loadObservationFacts } from './observations.js'
import { loadStaticFacts } from './provider-schemas.js'
import { loadRetentionFacts } from './stream-safety.js'

export async function loadCanIDeployFacts(
  db: Queryable,
  service: string,
  version: string,
  environment: string,
  now: Date,
): Promise<CanIDeployInput> {
  const facts = await loadDeploymentFacts(db, service, version, environment)
  const retention = await loadRetentionFacts(db, service, environment, now)
  const retained = retainedPairs({ service, version, environment, now, consumes: facts.consumes, ...retention })
  const input = { service, version, environment, ...facts, retained, now }
  const { providers, contentHashes } = staticCandidates(input)
  const observations = await loadObservationFacts(db, [...new Set([...facts.consumes, ...facts.consumedBy].map((c) => c.contentHash))])
  return { ...input, ...(await loadStaticFacts(db, providers, contentHashes)), observations }
}
