/**
 * The broker as a process: start, print the URL, and shut down gracefully on SIGTERM/SIGINT (stop
 * accepting, finish requests in flight, close the store). A second signal, or a shutdown that hangs,
 * exits at once. Used by `server.ts` (npm start) and by `treaty broker`.
 */
import { type StartOptions, startBroker } from './start.js'

const SHUTDOWN_TIMEOUT_MS = 15_000

/** Resolves once the broker has stopped after a signal. */
export async function serve(config: StartOptions, write: (line: string) => void = console.log): Promise<void> {
  const broker = await startBroker(config)
  write(`Treaty broker listening on ${broker.url} (${config.databaseUrl ? 'PostgreSQL' : 'embedded PGlite'})`)
  await new Promise<void>((stopped) => {
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
      broker.close().then(stopped, (err) => {
        broker.app.log.error({ err }, 'shutdown failed')
        process.exit(1)
      })
    }
    process.on('SIGTERM', stop)
    process.on('SIGINT', stop)
  })
}
