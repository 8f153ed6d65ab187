#!/usr/bin/env node
/**
 * The broker process: read config, listen, print the URL, and shut down gracefully on SIGTERM/SIGINT
 * (stop accepting, finish requests in flight, close the store). A second signal, or a shutdown that hangs,
 * exits at once.
 */
import { loadConfig, usage } from './config.js'
import { isBrokerError } from './errors.js'
import { serve } from './serve.js'

async function main(): Promise<void> {
  const config = loadConfig(process.env, process.argv.slice(2))
  if (config.help) {
    console.log(usage())
    return
  }
  await serve(config)
  process.exit(0)
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
