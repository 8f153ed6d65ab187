#!/usr/bin/env node
/**
 * The broker process: read config, listen, print the URL, and shut down gracefully on SIGTERM/SIGINT
 * (stop accepting, finish requests in flight, close the store). A second signal, or a shutdown that hangs,
 * exits at once.
 */
import { loadConfig, usage } from './config.js'
import { isBrokerError } from './errors.js'
import { startBroker } from './start.js'

const SHUTDOWN_TIMEOUT_MS = 15_000

async function main(): Promise<void> {
  const config = loadConfig(process.env, process.argv.slice(2))
  if (config.help) {
    console.log(usage())
    return
  }
  const broker = await startBroker(config)
  const storage = config.databaseUrl ? 'PostgreSQL' : 'embedded PGlite'
  console.log(`Treaty broker listening on ${broker.url} (${storage})`)

  let stopping = false
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) {
      broker.app.log.warn({ signal }, 'second signal: exiting without waiting')
      process.exit(1)
    }
    stopping = true
    broker.app.log.info({ signal }, 'shutting down: finishing requests in flight')
    const timer = setTimeout(() => {
      broker.app.log.error('shutdown took too long: exiting')
      process.exit(1)
    }, SHUTDOWN_TIMEOUT_MS)
    timer.unref()
    broker.close().then(
      () => process.exit(0),
      (err) => {
        broker.app.log.error({ err }, 'shutdown failed')
        process.exit(1)
      },
    )
  }
  process.on('SIGTERM', stop)
  process.on('SIGINT', stop)
}

main().catch((err) => {
  // Start-up errors are configuration or environment problems: say which in one line; the stack only on demand.
  const e = err as NodeJS.ErrnoException
  if (isBrokerError(err)) console.error(`treaty-broker: ${err.code}: ${err.message}`)
  else if (e.code === 'EADDRINUSE') console.error(`treaty-broker: ${e.message}: another process listens there; set PORT (or --port)`)
  else console.error(`treaty-broker: could not start: ${e.message}`)
  if (/^(debug|trace)$/i.test(process.env.LOG_LEVEL ?? '')) console.error(e.stack)
  process.exit(1)
})
