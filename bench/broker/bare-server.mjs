// The baseline: a bare fastify (the broker's own version, no logger, no hooks) answering a constant.
// Prints its URL like the broker does, so the benchmark starts both the same way.
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const broker = join(dirname(fileURLToPath(import.meta.url)), '../../packages/broker')
const Fastify = createRequire(join(broker, 'package.json'))('fastify')

const app = Fastify({ logger: false })
app.get('/', async () => ({ ok: true }))
await app.listen({ port: 0, host: '127.0.0.1' })
console.log(`bare fastify listening on http://127.0.0.1:${app.server.address().port}`)
process.on('SIGTERM', () => app.close().then(() => process.exit(0)))
