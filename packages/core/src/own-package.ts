/**
 * Files of this package by the package's own name (Node's self-reference: "./package.json" is exported), not by a
 * path relative to the calling module: the build bundles dist/ into entry files and shared chunks at other depths
 * than src/ (scripts/bundle-core.mjs), where `new URL('../../…', import.meta.url)` would name the wrong file.
 */
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { pathToFileURL } from 'node:url'

let root: string | undefined

/** The absolute path of `path` (`dist/vendor/ajv-2020.cjs`) inside the installed @treaty/core. */
export function ownPath(path: string): string {
  root ??= dirname(createRequire(import.meta.url).resolve('@treaty/core/package.json'))
  return join(root, path)
}

/** @treaty/core's package.json, as a URL (what `OptionalDependency.manifest` takes). */
export function ownManifest(): URL {
  return pathToFileURL(ownPath('package.json'))
}
