/**
 * `npm run observe`: the real `treaty observe` beside the running system (`npm run up`, `npm run api`,
 * `npm run worker`), checking every message on `pdf.>` against the example's contracts. Extra arguments go to
 * `treaty observe` (e.g. `-- --duration 60 --fail-on-mismatch`, or `--environment production` with a broker).
 */
import { spawn } from 'node:child_process'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { connections } from '../config.js'
import { CONTRACTS_DIR } from '../contract/paths.js'

const TREATY_BIN = join(dirname(createRequire(import.meta.url).resolve('@treaty/cli/package.json')), 'dist/bin.js')
const extra = process.argv.slice(2)
const fromBroker = extra.includes('--environment')
const args = [
  TREATY_BIN,
  'observe',
  '--nats',
  connections().natsUrls.join(','),
  '--subject',
  'pdf.>',
  ...(fromBroker ? [] : ['--contracts', CONTRACTS_DIR]),
  ...extra,
]
const child = spawn(process.execPath, args, { stdio: 'inherit' })
// Ctrl-C reaches the child through the terminal; it prints its report and exits with its own code.
process.on('SIGINT', () => {})
child.on('exit', (code) => process.exit(code ?? 1))
