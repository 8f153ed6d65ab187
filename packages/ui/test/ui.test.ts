/**
 * The web UI in a real browser (Debian's chromium) against a real broker process seeded through the CLI:
 * each page renders the seeded data and passes axe-core with no serious or critical violation.
 */
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { treaty } from '../../cli/test/treaty.js'
import { describeViolations, launchChromium, seriousViolations } from './browser.js'
import { type Seeded, seedThroughCli } from './seed.js'
import type { UiBroker } from './ui-server.js'
import { startUiBroker } from './ui-server.js'

let broker: UiBroker
let browser: Browser
let seeded: Seeded
const foreignRequests: string[] = []

beforeAll(async () => {
  broker = await startUiBroker()
  seeded = await seedThroughCli(broker.url)
  browser = await launchChromium()
}, 400_000)

afterAll(async () => {
  await browser?.close()
  await broker?.stop()
})

async function open(path: string): Promise<Page> {
  const page = await browser.newPage()
  page.on('request', (r) => {
    if (!r.url().startsWith(broker.url) && !r.url().startsWith('data:')) foreignRequests.push(r.url())
  })
  await page.goto(`${broker.url}/${path}`)
  return page
}

async function expectAccessible(page: Page) {
  const violations = await seriousViolations(page)
  expect(violations, describeViolations(violations)).toEqual([])
}

// A page load plus an axe run takes tens of seconds on a loaded CI machine.
describe('the broker’s web UI in chromium', { timeout: 120_000 }, () => {
  it('the overview graph shows every service, each linked, and passes axe', async () => {
    const page = await open('')
    const graph = page.getByTestId('graph')
    await expect.poll(() => graph.getAttribute('data-rendered')).not.toBeNull()
    expect(Number(await graph.getAttribute('data-services'))).toBe(seeded.services.length)
    const links = await page.getByTestId('service-list').getByRole('link').allTextContents()
    expect(links.sort()).toEqual(seeded.services)
    // The canvas is drawn: cytoscape laid every node out.
    expect(await page.locator('.graph canvas').count()).toBeGreaterThan(0)
    await expectAccessible(page)
    await page.close()
  })

  it('every page is reachable by links from the overview', async () => {
    const page = await open('')
    await page.getByRole('link', { name: 'Pairs' }).click()
    await page.getByTestId('pairs').waitFor()
    await page.getByRole('link', { name: '3.0.0' }).click()
    await page.getByRole('heading', { name: 'billing → pdf-api' }).waitFor()
    await page.getByRole('link', { name: 'pdf-api', exact: true }).first().click()
    await page.getByRole('heading', { name: 'pdf-api', level: 1 }).waitFor()
    await page.getByRole('link', { name: 'Can I deploy?' }).first().click()
    await page.getByRole('heading', { name: 'Can I deploy?', level: 1 }).waitFor()
    await page.getByRole('link', { name: 'Environments' }).click()
    await page.getByRole('heading', { name: 'production (production)' }).waitFor()
    await page.getByRole('link', { name: 'Webhooks' }).click()
    await page.getByRole('heading', { name: 'Webhooks', level: 1 }).waitFor()
    await page.getByRole('link', { name: 'Overview' }).click()
    await page.getByTestId('graph').waitFor()
    await page.close()
  })

  it('the pairs dashboard has a row per pair with its state and how it was decided', async () => {
    const page = await open('#/pairs')
    const table = page.getByTestId('pairs')
    await table.waitFor()
    const state = (pair: string) => table.locator(`tr[data-pair="${pair}"] [data-state]`)
    expect(await table.locator('tbody tr').count()).toBe(4)
    expect(await state('billing->pdf-api').getAttribute('data-state')).toBe('failed')
    expect(await state('billing->pdf-api').textContent()).toContain('replay')
    expect(await state('mailer->user-api').getAttribute('data-state')).toBe('proven')
    expect(await state('crm->user-api').textContent()).toBe('failed · static')
    expect(await state('pdf-worker->pdf-api').getAttribute('data-state')).toBe('pending')
    await page.getByLabel('Consumer or provider').fill('user')
    await page.getByRole('button', { name: 'Search' }).click()
    await expect.poll(() => table.locator('tbody tr').count()).toBe(2)
    await expectAccessible(page)
    await page.close()
  })

  it('a failing replayed verification shows its mismatch pointer on the contract page, which passes axe', async () => {
    const page = await open('#/contracts/billing/pdf-api')
    const results = page.getByTestId('verification-results')
    await results.waitFor()
    expect(await results.locator('.mismatch').allTextContents()).toEqual([expect.stringContaining('invoiceId')])
    // The payload as a schema tree, the example, the variants.
    await expect.poll(() => page.locator('.tree').first().textContent()).toContain('invoiceId required string')
    expect(await page.locator('pre').first().textContent()).toContain('"inv-1"')
    await expectAccessible(page)
    await page.close()
  })

  it('a statically refuted pair shows the compatibility engine’s pointer', async () => {
    const page = await open('#/contracts/crm/user-api')
    const diffs = page.getByTestId('static-differences')
    await diffs.waitFor()
    expect(await diffs.textContent()).toContain('payload/phone')
    await page.close()
  })

  it('the contract page shows the variants and the evolution from the previous version in checkEvolution’s words', async () => {
    const page = await open('#/contracts/pdf-worker/pdf-api?version=1.1.0')
    const evolution = page.getByTestId('evolution')
    await evolution.waitFor()
    const text = await evolution.textContent()
    expect(text).toContain('changed: a PDF generation request')
    expect(text).toContain('/title')
    await page.getByText(/Variants the handler was proven against \(\d+\)/).click()
    expect(await page.locator('.variants li').count()).toBeGreaterThan(2)
    expect(await page.locator('.variants').textContent()).toContain('letter')
    await expectAccessible(page)
    await page.close()
  })

  it('the service page lists versions, integrations and the matrix, and passes axe', async () => {
    const page = await open('#/services/pdf-api')
    await page.getByTestId('matrix').waitFor()
    expect(await page.getByRole('heading', { name: /Provides to \(2\)/ }).count()).toBe(1)
    expect(await page.getByTestId('matrix').textContent()).toContain('billing 3.0.0')
    await expectAccessible(page)
    await page.close()
  })

  it('can-i-deploy answers in the browser what the CLI answers, with each reason', async () => {
    const page = await open('#/can-i-deploy')
    await page.getByLabel('Service').selectOption('billing')
    await page.getByLabel('Environment').selectOption('production')
    await page.getByRole('button', { name: 'Ask' }).click()
    const answer = page.getByTestId('answer')
    await answer.waitFor()
    const cli = await treaty(['can-i-deploy', '--service', 'billing', '--app-version', '3.0.0', '--to', 'production', '--json'], {
      env: { TREATY_BROKER_URL: broker.url },
    })
    const expected = JSON.parse(cli.stdout) as { deployable: boolean; reasons: string[] }
    expect(cli.code).toBe(1)
    expect(await answer.getAttribute('data-deployable')).toBe(String(expected.deployable))
    expect(await answer.locator('.reasons li').allTextContents()).toEqual(expected.reasons)
    await expectAccessible(page)
    await page.close()
  })

  it('the environments board shows what is deployed where, and passes axe', async () => {
    const page = await open('#/environments')
    const production = page.locator('[data-environment="production"]')
    await production.waitFor()
    expect(await production.locator('tbody tr').count()).toBe(4)
    expect(await page.locator('[data-environment="staging"] tbody').textContent()).toContain('pdf-worker1.0.0')
    await expectAccessible(page)
    await page.close()
  })

  it('the webhooks page shows each subscription and every delivery attempt, and passes axe', async () => {
    // Nothing listens on port 9 of the loopback: every attempt fails fast and is logged.
    const created = await fetch(`${broker.url}/api/webhooks`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ url: 'http://127.0.0.1:9/hook', events: ['deployment_recorded'], description: 'release bot' }),
    })
    expect(created.status).toBe(201)
    const { id } = (await created.json()) as { id: string }
    const deployed = await treaty(['record-deployment', '--service', 'crm', '--app-version', '1.0.0', '--environment', 'staging'], {
      env: { TREATY_BROKER_URL: broker.url },
    })
    expect(deployed.code, deployed.stderr).toBe(0)
    await expect
      .poll(
        async () => {
          const r = (await (await fetch(`${broker.url}/api/webhooks/${id}/deliveries`)).json()) as { deliveries: { attempts: number }[] }
          return r.deliveries.some((d) => d.attempts > 0)
        },
        { timeout: 20_000 },
      )
      .toBe(true)
    const page = await open('#/webhooks')
    const deliveries = page.getByTestId('deliveries')
    await deliveries.waitFor()
    expect(await page.getByRole('heading', { name: 'release bot' }).count()).toBe(1)
    expect(await deliveries.locator('ol li').first().textContent()).toMatch(/in \d+ ms/)
    await expectAccessible(page)
    await page.close()
  })

  it('serves badges as valid SVG with the pair’s state and the can-i-deploy answer', async () => {
    const pair = await fetch(`${broker.url}/badges/pairs/billing/pdf-api.svg`)
    expect(pair.headers.get('content-type')).toContain('image/svg+xml')
    const page = await browser.newPage()
    for (const [path, text] of [
      ['badges/pairs/billing/pdf-api.svg', 'billing → pdf-api: failed'],
      ['badges/pairs/mailer/user-api.svg', 'mailer → user-api: proven (static)'],
      // billing's contract failed pdf-api's replay; mailer's is proven statically by user-api's schema.
      ['badges/can-i-deploy/billing/production.svg', 'deploy billing to production: no (3.0.0)'],
      ['badges/can-i-deploy/mailer/production.svg', 'deploy mailer to production: yes (1.0.0)'],
    ]) {
      await page.goto(`${broker.url}/${path}`)
      // Parsed by the browser as an SVG document (a malformed one would be a parsererror page).
      expect(await page.evaluate('document.documentElement.namespaceURI')).toBe('http://www.w3.org/2000/svg')
      expect(await page.evaluate('document.querySelector("title").textContent')).toBe(text)
    }
    await page.close()
  })

  it('loads nothing from another origin', () => {
    expect(foreignRequests).toEqual([])
  })
})
