/**
 * Heavy tools are optional peer dependencies: ts-morph (static analysis), json-schema-to-typescript
 * (codegen), @treaty/broker (`treaty broker`). A team that only writes consumer or provider tests never
 * installs them; the feature that needs one loads it here, and Node's "Cannot find package" becomes one
 * line naming the package and the command that installs it.
 */
import { readFile } from 'node:fs/promises'
import { ErrorCodes, TreatyError } from './errors.js'

export interface OptionalDependency {
  /** The package to load, as it is named in `peerDependencies`. */
  name: string
  /** What needs it, for the message: `@treaty/core/analysis`, `treaty broker`. */
  feature: string
  /** The package.json that declares it as a peer, so the hint names the range that fits. */
  manifest: URL
}

/** Runs `load` (a dynamic import); when `dependency.name` is not installed, throws TREATY_DEPENDENCY_MISSING. */
export async function importOptional<T>(dependency: OptionalDependency, load: () => Promise<T>): Promise<T> {
  try {
    return await load()
  } catch (err) {
    if (!isMissingPackage(err, dependency.name)) throw err
    const range = await peerRange(dependency.manifest, dependency.name)
    const spec = range ? `${dependency.name}@"${range}"` : dependency.name
    throw new TreatyError(ErrorCodes.DEPENDENCY_MISSING, `${dependency.feature} needs ${dependency.name}, which is not installed`, {
      hint: `npm install --save-dev ${spec}`,
      details: { package: dependency.name, ...(range ? { range } : {}) },
      cause: err,
    })
  }
}

/** Node's error for a package that cannot be found names it in quotes; a missing file inside it does not. */
export function isMissingPackage(err: unknown, name: string): boolean {
  const e = err as { code?: unknown; message?: unknown } | undefined
  if (e?.code !== 'ERR_MODULE_NOT_FOUND' && e?.code !== 'MODULE_NOT_FOUND') return false
  return typeof e.message === 'string' && e.message.includes(`Cannot find package '${name}'`)
}

async function peerRange(manifest: URL, name: string): Promise<string | undefined> {
  try {
    const pkg = JSON.parse(await readFile(manifest, 'utf8')) as { peerDependencies?: Record<string, string> }
    const range = pkg.peerDependencies?.[name]
    // In the repository the range is pnpm's workspace protocol, which npm cannot install.
    return range && !range.startsWith('workspace:') ? range : undefined
  } catch {
    return undefined
  }
}
