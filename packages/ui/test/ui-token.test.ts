/**
 * The token prompt, in chromium against a broker with tokens: nothing of the data without a read token, a
 * wrong token said so, the right one kept for this tab only (sessionStorage, not localStorage).
 */
import { contractsProject, type TempDir } from '@treaty/test-support'
import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { treaty } from '../../cli/test/treaty.js'
import { describeViolations, launchChromium, seriousViolations } from './browser.js'
import { startUiBroker, type UiBroker } from './ui-server.js'

const TOKENS = { TREATY_READ_TOKEN: 'read-token-for-the-ui', TREATY_WRITE_TOKEN: 'write-token-for-the-ui' }
let broker: UiBroker
let browser: Browser
let project: TempDir

beforeAll(async () => {
  broker = await startUiBroker(TOKENS)
  project = await contractsProject()
  const published = await treaty(['publish', 'contracts', '--app-version', '1.0.0', '--branch', 'main'], {
    cwd: project.path,
    env: { TREATY_BROKER_URL: broker.url, TREATY_TOKEN: TOKENS.TREATY_WRITE_TOKEN },
  })
  expect(published.code, published.stdout + published.stderr).toBe(0)
  browser = await launchChromium()
}, 400_000)

afterAll(async () => {
  await browser?.close()
  await broker?.stop()
  await project?.remove()
})

describe('the UI on a broker with tokens', () => {
  it('shows nothing but the prompt without a token, rejects a wrong one, and keeps the right one for the tab only', async () => {
    // One browser profile (context), two tabs: sessionStorage belongs to a tab, not to the profile.
    const context = await browser.newContext()
    const page = await context.newPage()
    await page.goto(`${broker.url}/`)
    await page.getByRole('heading', { name: 'This broker needs a token' }).waitFor()
    expect(await page.getByTestId('service-list').count()).toBe(0)
    const violations = await seriousViolations(page)
    expect(violations, describeViolations(violations)).toEqual([])

    await page.getByLabel('Token', { exact: true }).fill('not-a-token')
    await page.getByRole('button', { name: 'Use token' }).click()
    await page.getByText('The token given is not accepted by this broker').waitFor()

    await page.getByLabel('Token', { exact: true }).fill(TOKENS.TREATY_READ_TOKEN)
    await page.getByRole('button', { name: 'Use token' }).click()
    const graph = page.getByTestId('graph')
    await graph.waitFor()
    expect(await graph.getAttribute('data-services')).toBe('2')
    expect(await page.evaluate('sessionStorage.getItem("treaty.token")')).toBe(TOKENS.TREATY_READ_TOKEN)
    expect(await page.evaluate('localStorage.length')).toBe(0)

    // Another tab has its own sessionStorage: it asks again.
    const other = await context.newPage()
    await other.goto(`${broker.url}/#/pairs`)
    await other.getByRole('heading', { name: 'This broker needs a token' }).waitFor()
    await context.close()
  }, 120_000)

  it('serves badges only with a read token when the broker was not told to publish them', async () => {
    expect((await fetch(`${broker.url}/badges/pairs/pdf-worker/pdf-api.svg`)).status).toBe(401)
    const withToken = await fetch(`${broker.url}/badges/pairs/pdf-worker/pdf-api.svg`, {
      headers: { authorization: `Bearer ${TOKENS.TREATY_READ_TOKEN}` },
    })
    expect(withToken.status).toBe(200)
    expect(await withToken.text()).toContain('pdf-worker → pdf-api: pending')
  })
})
