/**
 * Loads the provider's TypeScript program with ts-morph (which bundles its own TypeScript, so the
 * analysis does not depend on the compiler the provider builds with).
 *
 * `strictNullChecks` is required: without it TypeScript erases `null` and `undefined` from every
 * type, and a schema derived from `name: string` would wrongly promise that `name` is never null.
 */
import { existsSync } from 'node:fs'
import { resolve } from 'node:path'
import { Project, ts } from 'ts-morph'
import { ErrorCodes, TreatyError } from '../errors.js'
import type { ProjectOptions } from './types.js'

/** Compiler options for files given without a tsconfig. */
const DEFAULT_OPTIONS: ts.CompilerOptions = {
  strict: true,
  target: ts.ScriptTarget.ES2022,
  module: ts.ModuleKind.ESNext,
  moduleResolution: ts.ModuleResolutionKind.Bundler,
  skipLibCheck: true,
  noEmit: true,
  // Every @types package of the project, as before TypeScript 6 (ts-morph's), which includes none by default:
  // without it `node:crypto` and `Buffer` do not type-check even with @types/node installed.
  types: ['*'],
}

export function loadProject(options: ProjectOptions): Project {
  if (options === null || typeof options !== 'object' || (options.tsconfig === undefined && options.files === undefined)) {
    throw new TreatyError(ErrorCodes.ANALYSIS_CONFIG_INVALID, 'static analysis needs a tsconfig or a list of files', {
      hint: "pass { tsconfig: 'tsconfig.json' } or { files: ['src/producers.ts'] }",
    })
  }
  const files = (options.files ?? []).map((f) => resolve(f))
  const missing = [options.tsconfig, ...files].filter((f): f is string => f !== undefined && !existsSync(f))
  if (missing.length > 0) {
    throw new TreatyError(ErrorCodes.ANALYSIS_CONFIG_INVALID, `not found: ${missing.join(', ')}`, {
      path: options.tsconfig !== undefined && missing.includes(options.tsconfig) ? 'tsconfig' : 'files',
    })
  }
  const project =
    options.tsconfig === undefined
      ? new Project({ compilerOptions: DEFAULT_OPTIONS })
      : new Project({ tsConfigFilePath: resolve(options.tsconfig), skipAddingFilesFromTsConfig: files.length > 0 })
  assertStrictNullChecks(project.getCompilerOptions(), options.tsconfig)
  for (const file of files) project.addSourceFileAtPath(file)
  if (files.length > 0) project.resolveSourceFileDependencies()
  return project
}

function assertStrictNullChecks(options: ts.CompilerOptions, tsconfig: string | undefined): void {
  // TypeScript 6 (the one ts-morph bundles) turns `strict` on unless the tsconfig says otherwise.
  const on = options.strictNullChecks ?? options.strict ?? true
  if (on) return
  throw new TreatyError(
    ErrorCodes.ANALYSIS_CONFIG_INVALID,
    `${tsconfig ?? 'the compiler options'} turn strictNullChecks off: types then never say when a value may be null or absent`,
    { path: 'compilerOptions.strictNullChecks', hint: 'set "strict": true (or "strictNullChecks": true) in the tsconfig' },
  )
}
