// Build step: the `treaty` binary as one file, dist/bin.js (over tsc's, which works too, only slower), with the
// parts commands load on demand as chunks in dist/bin-chunks/. Loading the CLI from its ~30 modules was about a
// third of `treaty --help`'s start-up (module resolution and file reads; bench/cli). Only the CLI's own files are
// bundled: @treaty/* and every other package stay imports, so a class of ours (TreatyError, …) exists once in a
// process, and the source map's sources are all in the package's src/.
// dist/index.js, the programmatic API, stays tsc's. Source maps point at src/, which the package ships.
import { readFileSync, rmSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { build } from 'esbuild'

const cli = dirname(dirname(fileURLToPath(import.meta.url)))
const { version } = JSON.parse(readFileSync(join(cli, 'package.json'), 'utf8'))
rmSync(join(cli, 'dist/bin-chunks'), { recursive: true, force: true })
await build({
  entryPoints: [join(cli, 'src/bin.ts')],
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  outdir: join(cli, 'dist'),
  chunkNames: 'bin-chunks/[name]-[hash]',
  packages: 'external',
  sourcemap: true,
  define: { TREATY_VERSION: JSON.stringify(version) },
  logLevel: 'warning',
})
