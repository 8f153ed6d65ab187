/**
 * Overview: the whole organisation as a network graph (cytoscape: pan, zoom, search), filterable by
 * environment and branch, with every service also listed as a link for keyboards and screen readers.
 */
import cytoscape from 'cytoscape'
import fcose, { type FcoseLayoutOptions } from 'cytoscape-fcose'
import { useEffect, useRef, useState } from 'preact/hooks'
import { api, type PairRow, type ServiceRow } from '../api.js'
import { Layout, Legend, Show } from '../components.js'
import { buildGraph } from '../graph.js'
import { href, navigate, type Route } from '../router.js'
import { unstack } from '../unstack.js'
import { useApi } from '../use-api.js'

cytoscape.use(fcose)
/**
 * Past this many nodes the layout is fcose's spectral draft alone: its force-directed polish grows with the
 * square of the graph (about 4 s for 700 nodes and 1,500 edges against 0.6 s for the draft, cose's 17 s,
 * headless), and a graph that size is read by searching and zooming, not at a glance.
 */
const POLISHED_LAYOUT_MAX_NODES = 300
/** Labels smaller than this on screen are not drawn (a whole large graph fitted to the box): drawing them is most of a frame. */
const MIN_LABEL_PX = 6

/** The least zoom a search leaves its matches at: their labels at the size they are set in, well over MIN_LABEL_PX. */
const FOUND_ZOOM = 1
/** Room around the graph when it is fitted to its box. */
const LAYOUT_PADDING = 30

/** cytoscape's own types list only its built-in layouts; the extension's options are checked by its own type. */
function graphLayout(large: boolean): cytoscape.LayoutOptions {
  const layout: FcoseLayoutOptions = {
    name: 'fcose',
    quality: large ? 'draft' : 'default',
    animate: false,
    padding: LAYOUT_PADDING,
    nodeDimensionsIncludeLabels: true,
    packComponents: true,
    // The draft puts nodes with the same neighbours on one spot; spread them before anyone sees the stack.
    ...(large ? { stop: (e: cytoscape.LayoutEventObject) => spreadStacks(e.cy) } : {}),
  }
  return layout as unknown as cytoscape.LayoutOptions
}

function spreadStacks(cy: cytoscape.Core) {
  const placed = cy.nodes().map((n) => {
    const box = n.boundingBox({ includeLabels: true })
    return { id: n.id(), ...n.position(), width: box.w, height: box.h }
  })
  const positions = unstack(placed)
  if (positions.size === 0) return
  cy.nodes().positions((n) => positions.get(n.id()) ?? n.position())
  cy.fit(undefined, LAYOUT_PADDING)
}

/** The graph asks for every pair in one bounded page; past it, the page says the graph is partial. */
const GRAPH_PAIR_LIMIT = 1000

export function Overview(props: { route: Route }) {
  const environment = props.route.query.get('environment') ?? ''
  const branch = props.route.query.get('branch') ?? ''
  const loaded = useApi(async () => {
    const [services, pairs, environments] = await Promise.all([
      api.services(),
      api.pairs({ limit: GRAPH_PAIR_LIMIT, environment, branch }),
      api.environments(),
    ])
    return { services: services.services, pairs, environments: environments.environments }
  }, [environment, branch])
  return (
    <Layout title="Overview" current="Overview">
      <Show loaded={loaded}>
        {(d) => (
          <>
            <form
              class="filters"
              aria-label="Filter the network"
              onSubmit={(e) => {
                e.preventDefault()
                const form = new FormData(e.currentTarget)
                navigate(href({ environment: String(form.get('environment') ?? ''), branch: String(form.get('branch') ?? '') }))
              }}
            >
              <label for="f-env">Environment</label>
              <select id="f-env" name="environment" value={environment}>
                <option value="">latest of every consumer</option>
                {d.environments.map((e) => (
                  <option key={e.name} value={e.name}>
                    {e.name}
                  </option>
                ))}
              </select>
              <label for="f-branch">Branch</label>
              <input id="f-branch" name="branch" value={branch} placeholder="any" />
              <button type="submit">Apply</button>
            </form>
            {d.pairs.total > d.pairs.pairs.length ? (
              <p role="status">
                Showing {d.pairs.pairs.length} of {d.pairs.total} pairs; narrow by environment or branch to see the rest.
              </p>
            ) : null}
            <Network services={d.services} pairs={d.pairs.pairs} />
            <Legend />
            <section aria-labelledby="services-title">
              <h2 id="services-title">Services ({d.services.length})</h2>
              <ul class="columns" data-testid="service-list">
                {d.services.map((s) => (
                  <li key={s.name}>
                    <a href={href('services', s.name)}>{s.name}</a>
                  </li>
                ))}
              </ul>
            </section>
          </>
        )}
      </Show>
    </Layout>
  )
}

function Network(props: { services: ServiceRow[]; pairs: PairRow[] }) {
  const container = useRef<HTMLDivElement>(null)
  const cy = useRef<cytoscape.Core | null>(null)
  const [search, setSearch] = useState('')
  const graph = buildGraph(props.services, props.pairs)
  const large = graph.nodes.length > POLISHED_LAYOUT_MAX_NODES

  useEffect(() => {
    if (!container.current) return
    const instance = cytoscape({
      container: container.current,
      elements: [
        ...graph.nodes.map((n) => ({ data: { id: n.id, label: n.label, kind: n.kind } })),
        ...graph.edges.map((e) => ({ data: { id: e.id, source: e.source, target: e.target, colour: e.colour, state: e.state } })),
      ],
      style: [
        {
          selector: 'node[kind = "service"]',
          style: {
            shape: 'round-rectangle',
            'background-color': '#1a3d6d',
            label: 'data(label)',
            color: '#111',
            'font-size': 11,
            'min-zoomed-font-size': MIN_LABEL_PX,
          },
        },
        {
          selector: 'node[kind = "channel"]',
          style: {
            shape: 'ellipse',
            width: 14,
            height: 14,
            'background-color': '#8a8a8a',
            label: 'data(label)',
            'font-size': 9,
            'min-zoomed-font-size': MIN_LABEL_PX,
            color: '#333',
          },
        },
        {
          selector: 'edge',
          style: {
            width: 2,
            'line-color': 'data(colour)',
            'target-arrow-color': 'data(colour)',
            'target-arrow-shape': 'triangle',
            // Straight edges cost a fraction of curved ones to lay out and draw; curves only keep a pair of
            // opposite edges apart, which a large graph is not read for.
            'curve-style': large ? 'straight' : 'bezier',
          },
        },
        { selector: 'edge[state = "pending"]', style: { 'line-style': 'dashed' } },
        { selector: '.match', style: { 'border-width': 4, 'border-color': '#ff9800' } },
        { selector: '.faded', style: { opacity: 0.15 } },
      ],
      // fcose: force-directed from a spectral start, where cose took tens of seconds for 200 services; animation
      // off so the first render is the final layout.
      layout: graphLayout(large),
      wheelSensitivity: 0.3,
    })
    instance.on('tap', 'node[kind = "service"]', (e) => navigate(href('services', String(e.target.data('label')))))
    cy.current = instance
    container.current.dataset.rendered = String(graph.nodes.length)
    return () => instance.destroy()
  }, [props.services, props.pairs])

  useEffect(() => {
    const instance = cy.current
    if (!instance) return
    instance.elements().removeClass('match faded')
    const q = search.trim().toLowerCase()
    if (q === '') return
    const matches = instance.nodes().filter((n) => String(n.data('label')).toLowerCase().includes(q))
    if (matches.length === 0) return
    const keep = matches.closedNeighborhood()
    instance.elements().not(keep).addClass('faded')
    matches.addClass('match')
    instance.fit(keep, 40)
    // A neighbourhood too wide for the box (a hub's consumers, a large graph's stretched drawing) would leave
    // what was found too small to label: zoom in on it instead, the exact name first.
    if (instance.zoom() < FOUND_ZOOM) {
      const exact = matches.filter((n) => String(n.data('label')).toLowerCase() === q)
      instance.zoom(FOUND_ZOOM)
      instance.center(exact.nonempty() ? exact : matches)
    }
  }, [search])

  const services = graph.nodes.filter((n) => n.kind === 'service').length
  const channels = graph.nodes.length - services
  return (
    <section aria-labelledby="graph-title">
      <h2 id="graph-title">Network</h2>
      <p>
        {services} services, {channels} channels, {props.pairs.length} consumer → provider pairs. Drag to pan, scroll to zoom, click a
        service to open it.
      </p>
      <label for="graph-search">Find a service or channel</label>{' '}
      <input id="graph-search" type="search" value={search} onInput={(e) => setSearch(e.currentTarget.value)} />{' '}
      <button type="button" onClick={() => cy.current?.fit(undefined, 20)}>
        Show all
      </button>
      <div
        ref={container}
        class="graph"
        role="img"
        aria-label={`Network graph of ${services} services and ${channels} channels; the same services are listed below`}
        data-services={services}
        data-channels={channels}
        data-testid="graph"
      />
    </section>
  )
}
