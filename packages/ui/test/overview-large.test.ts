/**
 * The overview of an organisation past the polished-layout limit (more than 300 nodes: fcose's draft layout,
 * small labels not drawn) in a real browser against a real broker: every service is a node of its own, one
 * can be found by searching and opened by clicking it, and the page passes axe.
 */
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { describeViolations, launchChromium, seriousViolations } from './browser.js'
import { type Seeded, seedHubs } from './seed.js'
import { startUiBroker, type UiBroker } from './ui-server.js'

let broker: UiBroker
let browser: Browser
let seeded: Seeded

beforeAll(async () => {
  broker = await startUiBroker()
  seeded = await seedHubs(broker.url, { services: 320, hubs: 4 })
  browser = await launchChromium()
}, 400_000)

afterAll(async () => {
  await browser?.close()
  await broker?.stop()
})

/**
 * What cytoscape drew, read through the registration it keeps on its container (`_cyreg`, its own way of
 * finding an instance from the DOM): the page exposes no test hook.
 */
interface Drawn {
  nodes: number
  /** `<service> under <node>` for each service whose centre another node covers: a click there opens the other. */
  hidden: string[]
}

const drawn = (page: Page) =>
  page.evaluate(`(() => {
    const cy = document.querySelector('[data-testid="graph"]')._cyreg.cy
    const boxes = cy.nodes().map((n) => ({ id: n.id(), label: n.data('label'), kind: n.data('kind'), at: n.position(), box: n.boundingBox() }))
    const covers = (b, p) => p.x > b.x1 && p.x < b.x2 && p.y > b.y1 && p.y < b.y2
    const hidden = boxes
      .filter((s) => s.kind === 'service')
      .flatMap((s) => boxes.filter((o) => o !== s && covers(o.box, s.at)).map((o) => s.label + ' under ' + o.label))
    return { nodes: cy.nodes().length, hidden }
  })()`) as Promise<Drawn>

/** How a node is shown now: matched by the search, on screen, its label drawn (`min-zoomed-font-size`, the page's MIN_LABEL_PX). */
interface Shown {
  match: boolean
  onScreen: boolean
  labelled: boolean
  /** Where it is in the graph's box. */
  at: { x: number; y: number }
}

const shown = (page: Page, label: string) =>
  page.evaluate(`(() => {
    const cy = document.querySelector('[data-testid="graph"]')._cyreg.cy
    const node = cy.nodes().filter((n) => n.data('label') === ${JSON.stringify(label)})
    const at = node.renderedPosition()
    return {
      match: node.hasClass('match'),
      onScreen: at.x > 0 && at.x < cy.width() && at.y > 0 && at.y < cy.height(),
      labelled: parseFloat(node.renderedStyle('font-size')) >= parseFloat(node.style('min-zoomed-font-size')),
      at,
    }
  })()`) as Promise<Shown>

const found = { match: true, onScreen: true, labelled: true }

async function openOverview(): Promise<Page> {
  const page = await browser.newPage()
  await page.goto(broker.url)
  await expect.poll(() => page.getByTestId('graph').getAttribute('data-rendered'), { timeout: 60_000 }).not.toBeNull()
  return page
}

// A layout of 324 nodes and an axe run over 320 links take seconds each on a loaded machine.
describe('the overview of a network past the polished-layout limit, in chromium', { timeout: 120_000 }, () => {
  it('draws every service as a node of its own, none hidden under another, each linked, and passes axe', async () => {
    const page = await openOverview()
    const graph = page.getByTestId('graph')
    expect(Number(await graph.getAttribute('data-services'))).toBe(seeded.services.length)
    const channels = Number(await graph.getAttribute('data-channels'))
    const links = await page.getByTestId('service-list').getByRole('link').allTextContents()
    expect(links.sort()).toEqual(seeded.services)
    const { nodes, hidden } = await drawn(page)
    expect(nodes).toBe(seeded.services.length + channels)
    expect(hidden).toEqual([])
    const violations = await seriousViolations(page)
    expect(violations, describeViolations(violations)).toEqual([])
    await page.close()
  })

  it('finds a service by searching, draws its label once zoomed to it, and opens it on a click', async () => {
    const page = await openOverview()
    // The whole network fitted to the box: labels too small to read are not drawn.
    expect((await shown(page, 'svc-123')).labelled).toBe(false)
    const search = page.getByLabel('Find a service or channel')
    await search.fill('svc-123')
    await expect.poll(() => shown(page, 'svc-123')).toMatchObject(found)
    // A hub: its neighbourhood (its channel's 79 consumers) is wider than the box can show with labels drawn.
    await search.fill('hub-2')
    await expect.poll(() => shown(page, 'hub-2')).toMatchObject(found)
    const { at } = await shown(page, 'hub-2')
    // The graph's box inside its 1px border.
    const box = (await page.getByTestId('graph').boundingBox())!
    await page.mouse.click(box.x + 1 + at.x, box.y + 1 + at.y)
    await page.getByRole('heading', { name: 'hub-2', level: 1 }).waitFor()
    expect(new URL(page.url()).hash).toBe('#/services/hub-2')
    await page.close()
  })
})
