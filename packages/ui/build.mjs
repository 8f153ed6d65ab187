/**
 * Bundles the browser app (src/app) into dist/assets: index.html, app.js, app.css. Everything the UI loads
 * is in these files (no CDN, no web fonts), so the broker can serve the UI offline from the same origin.
 * Type checking is tsc's job (tsconfig.app.json, part of `tsc -b`); esbuild only strips types and bundles.
 */
import { copyFileSync, mkdirSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { build } from 'esbuild'

const here = dirname(fileURLToPath(import.meta.url))
const out = join(here, 'dist/assets')
mkdirSync(out, { recursive: true })

await build({
  entryPoints: [
    { in: join(here, 'src/app/main.tsx'), out: 'app' },
    { in: join(here, 'src/app/styles.css'), out: 'app' },
  ],
  outdir: out,
  bundle: true,
  format: 'esm',
  target: 'es2022',
  minify: true,
  sourcemap: true,
  jsx: 'automatic',
  jsxImportSource: 'preact',
  legalComments: 'linked',
  logLevel: 'warning',
})
copyFileSync(join(here, 'src/app/index.html'), join(out, 'index.html'))
