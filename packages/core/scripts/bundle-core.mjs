// Build step: each public entry point (package.json "exports") as one file, with the code entries share in chunks in
// dist/chunks/: the package's only JavaScript (tsc emits declarations only, tsconfig.json). Node's ES module loader
// (resolving, reading and compiling each of the ~64 files that src/index.ts re-exports) was most of
// `import '@treaty/core'`'s cost; our own code's evaluation is about 2 ms (bench/cli). All entries are bundled together
// with splitting, so a module the entries share (TreatyError and its subclasses, caches) exists once in a process
// whichever entries load it. Only our own files are bundled: every package (ajv, the optional peers, …) stays an import
// but one (BUNDLED below). Code that names a file of this package finds it by the package's own name
// (src/own-package.ts), not by a path relative to its module, which moves into a chunk at another depth here. Source
// maps point at src/, which the package ships. Not minified.
import { readdirSync, readFileSync, rmSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { build } from 'esbuild'

const core = dirname(dirname(fileURLToPath(import.meta.url)))
const { exports } = JSON.parse(readFileSync(join(core, 'package.json'), 'utf8'))
const entryPoints = Object.values(exports)
  .filter((target) => typeof target === 'object')
  .map((target) => join(core, target.source))
// JavaScript a previous build left (chunks of other names, tsc's per-file output from before it emitted declarations
// only) goes first: the bundle is all of it. dist/vendor is scripts/bundle-ajv.mjs's, written just before.
rmSync(join(core, 'dist/chunks'), { recursive: true, force: true })
for (const file of readdirSync(join(core, 'dist'), { recursive: true, encoding: 'utf8' })) {
  if (/\.js(\.map)?$/.test(file) && !file.startsWith('vendor')) rmSync(join(core, 'dist', file))
}
// Packages stay imports, except those listed here, which the bundle carries: ajv-formats' table of format tests
// (one file that loads nothing else), which the consumer's matcher checks read on a test file's first expectation.
// Required from node_modules it cost ~3 ms there (resolving through the package's symlinks, then CommonJS
// loading); bundled, it is evaluated with the chunk, in well under a millisecond.
const BUNDLED = new Set(['ajv-formats/dist/formats.js'])
const packagesExternal = {
  name: 'packages-external',
  setup(b) {
    b.onResolve({ filter: /^[^./]/ }, (args) => (BUNDLED.has(args.path) ? undefined : { path: args.path, external: true }))
  },
}
await build({
  entryPoints,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  outbase: join(core, 'src'),
  outdir: join(core, 'dist'),
  chunkNames: 'chunks/[name]-[hash]',
  plugins: [packagesExternal],
  sourcemap: true,
  sourcesContent: false,
  logLevel: 'warning',
})
