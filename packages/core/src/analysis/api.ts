// What `@treaty/core/analysis` exports at run time; index.ts loads this once ts-morph is known to be installed.
export { verifyStatically } from './check.js'
export { extractProducers } from './extract.js'
export { loadProject } from './project.js'
export { formatDiagnostic, formatStaticReport } from './report.js'
