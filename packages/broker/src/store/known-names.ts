/**
 * "No phantom data": operations that name an existing service or version (recording a deployment or a
 * release) refuse names the broker has never seen, with the closest known names, instead of creating
 * a service from a typo that then shows up "in production".
 */
import { BrokerError, BrokerErrorCodes } from '../errors.js'
import { findVersion, type ServiceVersionIds } from './common.js'
import type { Queryable } from './database.js'

/** Edit distance (insertions, deletions, substitutions). */
function distance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j)
  for (let i = 1; i <= a.length; i++) {
    const row = [i]
    for (let j = 1; j <= b.length; j++) row[j] = Math.min(prev[j]! + 1, row[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1))
    prev = row
  }
  return prev[b.length]!
}

/**
 * Up to three known names closest to `name` (a typo, or a prefix of one): only those at the nearest
 * distance, so a one-letter slip names what was meant and not every name five edits away as well.
 */
function closest(name: string, known: readonly string[]): string[] {
  const limit = Math.max(2, Math.floor(name.length / 3))
  const near = known.map((k) => ({ k, d: k.startsWith(name) || name.startsWith(k) ? 1 : distance(name, k) })).filter((c) => c.d <= limit)
  const best = Math.min(...near.map((c) => c.d))
  return near
    .filter((c) => c.d === best)
    .map((c) => c.k)
    .sort((a, b) => a.localeCompare(b))
    .slice(0, 3)
}

/** Known names one or two edits away from `name` (not `name` itself): what a typo of them looks like. */
export function typosOf(name: string, known: readonly string[]): string[] {
  return known.filter((k) => k !== name && distance(name, k) <= 2).sort()
}

/** `; did you mean "orders"?` naming the known names closest to `name`, or '' when none is close. */
export function didYouMean(name: string, known: readonly string[]): string {
  const near = closest(name, known)
  return near.length ? `; did you mean ${near.map((n) => JSON.stringify(n)).join(' or ')}?` : ''
}

/**
 * The ids of `service@version`, or a 404 naming the closest known service or the latest known versions;
 * `paths` name the request fields that carried them (`body.*` for a recorded deployment, `query.*` for a read).
 */
export async function existingVersion(
  db: Queryable,
  service: string,
  version: string,
  paths: { service: string; version: string } = { service: 'body.service', version: 'body.version' },
): Promise<ServiceVersionIds> {
  const found = await findVersion(db, service, version)
  if (found.serviceId === undefined) throw await unknownService(db, service, paths.service)
  if (found.versionId === undefined) throw await unknownVersion(db, service, found.serviceId, version, paths.version)
  return { serviceId: found.serviceId, versionId: found.versionId }
}

/** 404 for a version of a known service the broker never saw, naming its closest and latest versions and how to register it. */
export async function unknownVersion(
  db: Queryable,
  service: string,
  serviceId: number,
  version: string,
  path = 'body.version',
): Promise<BrokerError> {
  const latest = await latestVersions(db, serviceId)
  return new BrokerError(
    BrokerErrorCodes.VERSION_NOT_FOUND,
    `${service} ${version} is not known to the broker${didYouMean(version, latest)}${latest.length ? ` (latest: ${latest.join(', ')})` : ''}`,
    {
      path,
      hint:
        'publish it first (treaty publish, or treaty verify --publish for a provider), ' +
        `or register it: treaty version create --service ${service} --app-version ${version}`,
    },
  )
}

/** The service's three latest versions, newest first, to name beside a version it does not have. */
async function latestVersions(db: Queryable, serviceId: number): Promise<string[]> {
  const recent = await db.query<{ version: string }>(
    'SELECT version FROM service_versions WHERE service_id = $1 ORDER BY id DESC LIMIT 3',
    [serviceId],
  )
  return recent.map((r) => r.version)
}

/** Every service's name, for the closest ones to a name the broker does not know. */
export async function serviceNames(db: Queryable): Promise<string[]> {
  return (await db.query<{ name: string }>('SELECT name FROM services')).map((r) => r.name)
}

/** 404 for a service the broker never saw, naming the closest known services. */
export async function unknownService(db: Queryable, service: string, path = 'body.service'): Promise<BrokerError> {
  const names = await serviceNames(db)
  const near = closest(service, names)
  return new BrokerError(
    BrokerErrorCodes.SERVICE_NOT_FOUND,
    `service ${JSON.stringify(service)} is not known to the broker${didYouMean(service, names)}`,
    {
      path,
      // Beside a likely typo, registering the typed name would make the mistake a service: the spelling comes first.
      hint: near.length
        ? `check the spelling: ${near.map((n) => JSON.stringify(n)).join(' and ')} ${near.length > 1 ? 'are' : 'is'} known`
        : 'a service appears when it publishes contracts with treaty publish or results with treaty verify --publish, ' +
          `or when a version is registered: treaty version create --service ${service} --app-version <version>`,
    },
  )
}

/** A consumer (and version) a selector names, and where the request carries that selector (`body.selectors[2]`). */
export interface SelectedConsumer {
  consumer: string
  version?: string | undefined
  path: string
}

/**
 * Consumers and versions named by selectors must exist, as environments must: a typo would select nothing, and
 * the provider's build would pass having verified nothing. Known consumers without a contract yet select nothing.
 */
export async function requireSelectedConsumers(db: Queryable, selected: readonly SelectedConsumer[]): Promise<void> {
  for (const { consumer, version, path } of selected) {
    const found = await findVersion(db, consumer, version ?? '')
    const nothing = 'so the selector would select nothing'
    if (found.serviceId === undefined) {
      const near = didYouMean(consumer, await serviceNames(db))
      throw new BrokerError(
        BrokerErrorCodes.SERVICE_NOT_FOUND,
        `${path}.consumer: no service ${JSON.stringify(consumer)} is known${near}, ${nothing}`,
        {
          path: `${path}.consumer`,
        },
      )
    }
    if (version !== undefined && found.versionId === undefined) {
      const latest = await latestVersions(db, found.serviceId)
      const known = latest.length ? ` (latest: ${latest.join(', ')})` : ''
      throw new BrokerError(
        BrokerErrorCodes.VERSION_NOT_FOUND,
        `${path}.version: ${consumer} ${version} is not known${didYouMean(version, latest)}${known}, ${nothing}`,
        { path: `${path}.version` },
      )
    }
  }
}
