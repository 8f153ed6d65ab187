// Build step: the `treaty` binary as one file, dist/bin.js (over tsc's, which works too, only slower), with the
// parts commands load on demand as chunks in dist/bin-chunks/. Loading the CLI from its ~30 modules was about a
// third of `treaty --help`'s start-up (module resolution and file reads; bench/cli). Only the CLI's own files are
// bundled: @treaty/* and every other package stay imports, so a class of ours (TreatyError, …) exists once in a
// process, and the source map's sources are all in the package's src/. commander, CommonJS in 7 files (loading it
// cost about as much as the rest of the binary), is turned into one ES module, dist/vendor/commander.js, that the
// binary imports as `#commander` (package.json "imports"): same code and version as the dependency, not minified.
// dist/index.js, the programmatic API, stays tsc's. Source maps point at src/, which the package ships.
import { readFileSync, rmSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { build } from 'esbuild'

const cli = dirname(dirname(fileURLToPath(import.meta.url)))
const { version } = JSON.parse(readFileSync(join(cli, 'package.json'), 'utf8'))
rmSync(join(cli, 'dist/bin-chunks'), { recursive: true, force: true })
await build({
  stdin: {
    contents: "export { Argument, Command, CommanderError, Help, InvalidArgumentError, Option } from 'commander'\n",
    resolveDir: cli,
    sourcefile: 'commander-entry.mjs',
    loader: 'js',
  },
  bundle: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  outfile: join(cli, 'dist/vendor/commander.js'),
  legalComments: 'eof',
  banner: {
    // CommonJS inside: its require() of node built-ins needs a require in this ES module.
    js: [
      '// commander (MIT, https://github.com/tj/commander.js), bundled by scripts/bundle-bin.mjs',
      "import { createRequire } from 'node:module'",
      'const require = createRequire(import.meta.url)',
    ].join('\n'),
  },
  logLevel: 'warning',
})
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
  plugins: [
    {
      name: 'vendored-commander',
      setup: (b) => b.onResolve({ filter: /^commander$/ }, () => ({ path: '#commander', external: true })),
    },
  ],
  sourcemap: true,
  define: { TREATY_VERSION: JSON.stringify(version) },
  logLevel: 'warning',
})
