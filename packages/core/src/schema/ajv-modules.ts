/**
 * ajv, its draft classes and ajv-formats, loaded on first use, not at import: their module graph is most of what
 * `import '@treaty/core'` would otherwise cost. The build bundles them into one file (scripts/bundle-ajv.mjs),
 * which loads in a fraction of the time of ajv's ~100 modules and gives ajv a deep equality that never calls a
 * message's own members (scripts/ajv-json-equal.cjs); the packages themselves are the fallback (a checkout whose
 * build has not run yet). All are CommonJS, so `require` loads them synchronously.
 */
import { createRequire } from 'node:module'
import type { Ajv, AnySchemaObject } from 'ajv'
import type { Ajv2019 } from 'ajv/dist/2019.js'
import type { Ajv2020 } from 'ajv/dist/2020.js'
import type Ajv04Module from 'ajv-draft-04'
import type ajvFormats from 'ajv-formats'
import { ownPath } from '../own-package.js'

const load = createRequire(import.meta.url)

export interface AjvModules {
  Ajv2020: typeof Ajv2020
  /** draft-07 (and draft-06, with its meta-schema added). */
  Ajv: typeof Ajv
  Ajv2019: typeof Ajv2019
  Ajv04: (typeof Ajv04Module)['default']
  draft06MetaSchema: AnySchemaObject
  addFormats: (typeof ajvFormats)['default']
}

let modules: AjvModules | undefined
let source: 'bundle' | 'modules' | undefined

/** Where the engine's ajv came from: the build's bundle, or ajv's own modules; undefined before first use. */
export function ajvSource(): 'bundle' | 'modules' | undefined {
  return source
}

export function ajvModules(): AjvModules {
  if (modules) return modules
  try {
    // Found by the package's own name: this module runs from src/schema, dist/schema or a bundled chunk.
    modules = load(ownPath('dist/vendor/ajv-2020.cjs')) as AjvModules
    source = 'bundle'
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'MODULE_NOT_FOUND') throw error
    // ajv-formats and ajv-draft-04 are CommonJS: their `module.exports` holds the export as `.default`.
    modules = {
      Ajv2020: (load('ajv/dist/2020.js') as typeof import('ajv/dist/2020.js')).Ajv2020,
      Ajv: (load('ajv') as { Ajv: typeof Ajv }).Ajv,
      Ajv2019: (load('ajv/dist/2019.js') as { Ajv2019: typeof Ajv2019 }).Ajv2019,
      Ajv04: (load('ajv-draft-04') as typeof Ajv04Module).default,
      // A JSON import would print Node 20's experimental-feature warning in every CLI run; require does not.
      draft06MetaSchema: load('ajv/dist/refs/json-schema-draft-06.json') as AnySchemaObject,
      addFormats: (load('ajv-formats') as typeof ajvFormats).default,
    }
    source = 'modules'
  }
  return modules
}
