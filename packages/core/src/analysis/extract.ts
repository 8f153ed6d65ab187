/** The provider schemas: every producer found in the source, with what its types say it emits. */
import { ErrorCodes, TreatyError } from '../errors.js'
import { deriveProducers, findProducerMaps } from './producers.js'
import { loadProject } from './project.js'
import { SchemaDeriver } from './type-to-schema.js'
import type { DerivedProducer, Diagnostic, ExtractOptions } from './types.js'

export interface Extraction {
  producers: DerivedProducer[]
  /** Every producer's diagnostics, in producer order. */
  diagnostics: Diagnostic[]
}

/**
 * Loads the project (or uses `project`, already loaded with `loadProject`), finds the producers maps
 * and derives each producer's payload and headers schemas. No producer code runs. Throws
 * TREATY_ANALYSIS_NO_PRODUCERS when no map is found: verifying nothing must not look like success.
 */
export function extractProducers(options: ExtractOptions): Extraction {
  const project = options.project ?? loadProject(options)
  const maps = findProducerMaps(project, options.producerFiles)
  if (maps.length === 0) {
    throw new TreatyError(ErrorCodes.ANALYSIS_NO_PRODUCERS, `no producers map found in ${describeScope(options)}`, {
      path: options.producerFiles ? 'producerFiles' : 'files',
      hint: 'declare `export const producers = { ... } satisfies Producers` (or pass it as `producers:` to verifyContracts) in a searched file',
    })
  }
  const deriver = new SchemaDeriver(project.getProgram().compilerObject, { exactObjects: options.exactObjects === true })
  const producers = deriveProducers(project, maps, deriver)
  return { producers, diagnostics: producers.flatMap((p) => p.diagnostics) }
}

function describeScope(options: ExtractOptions): string {
  if (options.producerFiles) return options.producerFiles.join(', ')
  if (options.files) return options.files.join(', ')
  return `the files of ${options.tsconfig ?? 'the project'}`
}
