// `npm run bootstrap` (and so `npm start`, `npm test`, the benches): installs the workspace with the pinned
// pnpm. Those scripts run it as `npm run -s`, and npm hands `-s` (loglevel silent) down to npx and pnpm
// through npm_config_loglevel, which once made a failed install exit 1 after a minute without a word.
// So the installer runs here with its normal log level, and a failure ends with a one-line hint.
import { spawn } from 'node:child_process'
import { readFileSync } from 'node:fs'

const { packageManager } = JSON.parse(readFileSync('package.json', 'utf8'))
const env = { ...process.env, npm_config_loglevel: 'warn' }
const args = ['-y', packageManager, 'install', '--frozen-lockfile', ...process.argv.slice(2)]
const child = spawn('npx', args, { env, stdio: ['ignore', 'inherit', 'pipe'] })
let stderr = ''
child.stderr.on('data', (chunk) => {
  stderr += chunk
  process.stderr.write(chunk)
})
child.on('close', (code, signal) => {
  if (code === 0) return
  const registry = process.env.npm_config_registry ?? 'https://registry.npmjs.org'
  if (!stderr.trim()) process.stderr.write(`npx ${args.join(' ')} exited ${code ?? signal} without a message\n`)
  process.stderr.write(
    `error: installing dependencies failed (npx ${packageManager} install exited ${code ?? signal})\n` +
      `  hint: check that ${registry} is reachable (proxy: HTTPS_PROXY; mirror: npm_config_registry), then run npm run bootstrap again\n`,
  )
  process.exitCode = code || 1
})
