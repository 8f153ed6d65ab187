/**
 * The CLI's package.json, found by the package's name rather than a path from the asking file: that file may be
 * bundled (dist/bin.js, dist/bin-chunks/…) or not (dist/lib/…, src/ under vitest), each at its own depth.
 */
import { createRequire } from 'node:module'
import { pathToFileURL } from 'node:url'

export function cliManifest(): URL {
  return pathToFileURL(createRequire(import.meta.url).resolve('@treaty/cli/package.json'))
}
