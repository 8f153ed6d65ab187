/** Takes the README's screenshots of the main pages (docs/ui-*.png) with the browser tests' seed. */
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { launchChromium } from './browser.js'
import { seedThroughCli } from './seed.js'
import { startUiBroker, type UiBroker } from './ui-server.js'

const DOCS = fileURLToPath(new URL('../../../docs/', import.meta.url))

const SHOTS: [file: string, hash: string, ready: string][] = [
  ['ui-overview.png', '#/', '[data-testid="graph"][data-rendered]'],
  ['ui-pairs.png', '#/pairs', '[data-testid="pairs"]'],
  ['ui-contract.png', '#/contracts/billing/pdf-api', '[data-testid="verification-results"]'],
  ['ui-evolution.png', '#/contracts/pdf-worker/pdf-api?version=1.1.0', '[data-testid="evolution"]'],
  ['ui-can-i-deploy.png', '#/can-i-deploy?service=billing&version=3.0.0&environment=production', '[data-testid="answer"]'],
  ['ui-environments.png', '#/environments', '[data-environment="production"]'],
]

let broker: UiBroker
let browser: Browser

// In hooks, not in the test: a timed-out run still stops its broker.
beforeAll(async () => {
  broker = await startUiBroker()
  browser = await launchChromium()
  await seedThroughCli(broker.url)
})

afterAll(async () => {
  await browser?.close()
  await broker?.stop()
})

it('writes a screenshot of each main page to docs/', async () => {
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } })
  for (const [file, hash, ready] of SHOTS) {
    await page.goto(`${broker.url}/${hash}`)
    await page.waitForSelector(ready)
    await page.screenshot({ path: join(DOCS, file), fullPage: false })
  }
  expect(SHOTS.length).toBeGreaterThan(0)
})
