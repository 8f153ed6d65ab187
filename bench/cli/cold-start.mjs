// Cold start of `import '@treaty/core'` and the `treaty` binary, beside bare `node -e 0` measured in the same run (the floor).
// Usage: npm run bench:cli   (builds first). Prints medians over RUNS runs and the overhead in ms.
import { spawn, spawnSync } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { pathToFileURL } from 'node:url'
import { freePort } from '../../packages/test-support/src/ports.mjs'

const RUNS = Number(process.env.RUNS ?? 10)
const root = resolve(import.meta.dirname, '../..')
const bin = join(root, 'packages/cli/dist/bin.js')

function time(args, env = {}) {
  const start = process.hrtime.bigint()
  const r = spawnSync(process.execPath, args, { env: { ...process.env, NO_COLOR: '1', ...env }, encoding: 'utf8' })
  const ms = Number(process.hrtime.bigint() - start) / 1e6
  return { ms, status: r.status, out: r.stdout + r.stderr }
}

function median(xs) {
  const s = [...xs].sort((a, b) => a - b)
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2
}

async function startBroker() {
  const port = await freePort()
  const dataDir = mkdtempSync(join(tmpdir(), 'treaty-bench-cli-'))
  const child = spawn(process.execPath, [bin, 'broker', '--port', String(port), '--data-dir', dataDir], {
    env: { ...process.env, LOG_LEVEL: 'error' },
    stdio: ['ignore', 'pipe', 'inherit'],
  })
  await new Promise((ok, fail) => {
    let out = ''
    child.stdout.on('data', (d) => {
      out += d
      if (out.includes(`127.0.0.1:${port}`)) ok()
    })
    child.on('exit', (code) => fail(new Error(`broker exited ${code}`)))
  })
  const stop = () => {
    child.kill('SIGTERM')
    rmSync(dataDir, { recursive: true, force: true })
  }
  return { url: `http://127.0.0.1:${port}`, stop }
}

const broker = await startBroker()
const cases = [
  ['node -e 0', ['-e', '0']],
  [
    "import '@treaty/core'",
    ['--input-type=module', '-e', `import ${JSON.stringify(pathToFileURL(join(root, 'packages/core/dist/index.js')).href)}`],
  ],
  ['treaty --help', [bin, '--help']],
  [
    'treaty can-i-deploy',
    [bin, 'can-i-deploy', '--service', 'bench', '--app-version', '1', '--to', 'production', '--broker-url', broker.url],
  ],
]
const results = Object.fromEntries(cases.map(([name]) => [name, []]))
try {
  for (const [, args] of cases) time(args) // warm-up (file cache)
  for (let i = 0; i < RUNS; i++) for (const [name, args] of cases) results[name].push(time(args).ms)
} finally {
  broker.stop()
}
const floor = median(results['node -e 0'])
console.log(`cold start, median of ${RUNS} runs (node ${process.version})`)
for (const [name] of cases) {
  const m = median(results[name])
  const spread = `${Math.min(...results[name]).toFixed(0)}-${Math.max(...results[name]).toFixed(0)} ms`
  console.log(
    `${name.padEnd(22)} ${m.toFixed(1).padStart(7)} ms (${spread})   +${(m - floor).toFixed(1)} ms over bare node   x${(m / floor).toFixed(2)}`,
  )
}
