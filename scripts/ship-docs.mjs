// Run by a package's `prepack`: copies the repository's docs/ into the package, so the hints that name
// docs/… point at files a user of the installed package can open (node_modules/@treaty/<pkg>/docs/…).
import { cpSync, rmSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'

// `npm pack` keeps `workspace:` ranges, so its tarball fails to install (EUNSUPPORTEDPROTOCOL): refuse it.
if (!process.env.npm_config_user_agent?.startsWith('pnpm/')) {
  console.error('error: pack the packages with `npm run pack` at the repository root (pnpm rewrites the workspace: ranges)')
  process.exit(1)
}

const source = join(dirname(dirname(fileURLToPath(import.meta.url))), 'docs')
const target = resolve('docs')
rmSync(target, { recursive: true, force: true })
cpSync(source, target, { recursive: true })
