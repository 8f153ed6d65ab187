// A broker process for benches: `node packages/broker/dist/server.js` on a free loopback port, resolved with
// its URL once it prints it. `env` adds to (and wins over) the defaults: PGlite unless DATABASE_URL is given.
import { spawn } from 'node:child_process'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = join(dirname(fileURLToPath(import.meta.url)), '../..')

/** Resolves `{ url, child }`; the caller stops `child` (SIGTERM). */
export function startBrokerProcess(env) {
  const child = spawn(process.execPath, [join(root, 'packages/broker/dist/server.js')], {
    cwd: root,
    env: { ...process.env, PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'warn', DATABASE_URL: '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let out = ''
  return new Promise((resolve, reject) => {
    const onData = (d) => {
      out += d.toString()
      const m = /listening on (http:\/\/\S+)/.exec(out)
      if (m) resolve({ url: m[1], child })
    }
    child.stdout.on('data', onData)
    child.stderr.on('data', onData)
    child.once('exit', (code) => reject(new Error(`broker exited (${code}) before listening:\n${out}`)))
  })
}
