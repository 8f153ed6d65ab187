/**
 * `npm run pipeline`: the example's contract pipeline against a broker it starts (or TREATY_BROKER_URL).
 * Exit 0 when every step passed and both services were deployed.
 */
import { execFileSync } from 'node:child_process'
import { EXAMPLE_DIR, runPipeline, startLocalBroker } from './pipeline.js'

function gitVersion(): string {
  try {
    return execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: EXAMPLE_DIR, encoding: 'utf8' }).trim()
  } catch {
    return `local-${Date.now()}`
  }
}

const external = process.env.TREATY_BROKER_URL
const broker = external ? { url: external, stop: async () => {} } : await startLocalBroker()
const version = process.env.TREATY_APP_VERSION ?? gitVersion()
console.log(`pipeline: broker ${broker.url}, version ${version}`)
try {
  const result = await runPipeline({ brokerUrl: broker.url, version, log: (line) => console.log(line) })
  console.log(result.ok ? 'pipeline passed: both services deployed to production' : 'pipeline failed')
  process.exitCode = result.ok ? 0 : 1
} finally {
  await broker.stop()
}
