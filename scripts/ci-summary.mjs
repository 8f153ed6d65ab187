// Prints vitest's JSON report as one plain line: "N passed, N failed[, N skipped]".
import { readFileSync } from 'node:fs'

const file = process.argv[2] ?? '.vitest-results.json'
let report
try {
  report = JSON.parse(readFileSync(file, 'utf8'))
} catch {
  console.log('0 passed, 1 failed')
  console.error(`no vitest report at ${file}: the test run did not complete`)
  process.exit(1)
}
const skipped = report.numPendingTests + report.numTodoTests
const failedSuites = report.testResults.filter((r) => r.status === 'failed' && r.assertionResults.length === 0).length
const failed = report.numFailedTests + failedSuites
console.log(`${report.numPassedTests} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`)
process.exit(failed > 0 || report.numPassedTests === 0 ? 1 : 0)
