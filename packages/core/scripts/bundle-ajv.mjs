// Build step: ajv (2020-12 and the older drafts' classes) + ajv-formats as one CommonJS file,
// dist/vendor/ajv-2020.cjs, which the schema engine loads on first use (src/schema/ajv-modules.ts). Loading
// ajv from its ~100 modules was most of a consumer test file's first expectation (module resolution and
// compilation, about 4x the bundle's load time on this project's machine; bench/consumer). Same code and
// versions as the dependencies in package.json, not minified, but for ajv's deep equality
// (scripts/ajv-json-equal.cjs).
import { mkdirSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { build } from 'esbuild'

const core = dirname(dirname(fileURLToPath(import.meta.url)))
const require = createRequire(join(core, 'package.json'))

/** ajv's deep equality, JSON-safe: ajv's `fast-deep-equal` becomes scripts/ajv-json-equal.cjs, which falls back to the original. */
const jsonSafeEqual = {
  name: 'json-safe-equal',
  setup(build) {
    const original = createRequire(require.resolve('ajv/package.json')).resolve('fast-deep-equal')
    build.onResolve({ filter: /^fast-deep-equal$/ }, () => ({ path: join(core, 'scripts/ajv-json-equal.cjs') }))
    build.onResolve({ filter: /^fast-deep-equal:original$/ }, () => ({ path: original }))
  },
}
const outfile = join(core, 'dist/vendor/ajv-2020.cjs')
mkdirSync(dirname(outfile), { recursive: true })
await build({
  stdin: {
    // What src/schema/ajv-modules.ts reads: the 2020-12 class, the older drafts' classes, ajv-formats.
    contents: [
      'module.exports = {',
      "  Ajv2020: require('ajv/dist/2020.js').Ajv2020,",
      "  Ajv: require('ajv').Ajv,",
      "  Ajv2019: require('ajv/dist/2019.js').Ajv2019,",
      "  Ajv04: require('ajv-draft-04').default,",
      "  draft06MetaSchema: require('ajv/dist/refs/json-schema-draft-06.json'),",
      "  addFormats: require('ajv-formats').default,",
      '}',
    ].join('\n'),
    resolveDir: core,
    sourcefile: 'ajv-2020-entry.cjs',
    loader: 'js',
  },
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  outfile,
  plugins: [jsonSafeEqual],
  legalComments: 'eof',
  banner: { js: '// ajv and ajv-formats (MIT, https://github.com/ajv-validator), bundled by scripts/bundle-ajv.mjs' },
  logLevel: 'warning',
})
