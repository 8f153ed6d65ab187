/**
 * Names that end up in URLs, logs, file names and SQL parameters. They are validated at the edge by
 * route schemas (these patterns) so nothing downstream has to wonder about `..`, `/`, NUL or newlines.
 */

import { isServiceName, SERVICE_NAME_PATTERN, SERVICE_NAME_RULE, serviceNameSchema } from '@treaty/core'

/** Services and environments: @treaty/core's one rule, so a contract cannot carry a name no route addresses. */
export { isServiceName, SERVICE_NAME_PATTERN, serviceNameSchema }
/** Versions: semver (with build metadata), git SHAs, CI build numbers. */
export const VERSION_PATTERN = '^(?!.*\\.\\.)[A-Za-z0-9][A-Za-z0-9._+-]{0,127}$'
/** Branches and tags may contain `/` (`feature/pdf-retry`) but not `..`, `//`, or a trailing `/`. */
export const BRANCH_PATTERN = '^(?!.*\\.\\.)(?!.*//)(?!.*/$)[A-Za-z0-9][A-Za-z0-9._/+-]{0,254}$'
/** Contract content hashes: sha256, hex. */
export const CONTENT_HASH_PATTERN = '^[0-9a-f]{64}$'

/** What each pattern means, in the words an error message should use. */
export const PATTERN_DESCRIPTIONS: Record<string, string> = {
  [SERVICE_NAME_PATTERN]: `${SERVICE_NAME_RULE} (e.g. "pdf-worker")`,
  [VERSION_PATTERN]:
    'a version of 1-128 letters, digits, ".", "_", "+" or "-", starting with a letter or digit, without ".." (e.g. "1.4.0")',
  [CONTENT_HASH_PATTERN]: 'a contract content hash (sha256: 64 lowercase hex digits)',
  [BRANCH_PATTERN]:
    'a branch or tag of 1-255 letters, digits, ".", "_", "/", "+" or "-", starting with a letter or digit, without "..", "//" or a trailing "/"',
}

export const environmentNameSchema = serviceNameSchema
export const versionSchema = { type: 'string', pattern: VERSION_PATTERN } as const
export const branchSchema = { type: 'string', pattern: BRANCH_PATTERN } as const

const VERSION_RE = new RegExp(VERSION_PATTERN)
const BRANCH_RE = new RegExp(BRANCH_PATTERN)

export function isVersion(value: unknown): value is string {
  return typeof value === 'string' && VERSION_RE.test(value)
}

export function isBranch(value: unknown): value is string {
  return typeof value === 'string' && BRANCH_RE.test(value)
}
