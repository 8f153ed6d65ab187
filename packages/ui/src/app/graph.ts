/**
 * The network as a graph: services and channels as nodes, provider → channel → consumer edges coloured by the
 * pair's state. Pure (no DOM): the overview hands the elements to cytoscape, tests can read them as data.
 */
import type { PairRow, ServiceRow } from './api.js'
import { type PairState, STATE_INFO, worse } from './states.js'

export interface GraphNode {
  id: string
  label: string
  kind: 'service' | 'channel'
}

export interface GraphEdge {
  id: string
  source: string
  target: string
  state: PairState
  colour: string
}

export const serviceId = (name: string) => `s:${name}`
export const channelId = (name: string) => `c:${name}`

export function buildGraph(services: readonly ServiceRow[], pairs: readonly PairRow[]): { nodes: GraphNode[]; edges: GraphEdge[] } {
  const nodes = new Map<string, GraphNode>()
  for (const s of services) nodes.set(serviceId(s.name), { id: serviceId(s.name), label: s.name, kind: 'service' })
  const edges = new Map<string, Omit<GraphEdge, 'colour'>>()
  const addEdge = (source: string, target: string, state: PairState) => {
    const id = `${source}->${target}`
    const known = edges.get(id)
    edges.set(id, { id, source, target, state: known ? worse(known.state, state) : state })
  }
  for (const p of pairs) {
    for (const name of [p.consumer, p.provider]) {
      if (!nodes.has(serviceId(name))) nodes.set(serviceId(name), { id: serviceId(name), label: name, kind: 'service' })
    }
    for (const channel of p.channels) {
      nodes.set(channelId(channel), { id: channelId(channel), label: channel, kind: 'channel' })
      addEdge(serviceId(p.provider), channelId(channel), p.state)
      addEdge(channelId(channel), serviceId(p.consumer), p.state)
    }
  }
  return {
    nodes: [...nodes.values()],
    edges: [...edges.values()].map((e) => ({ ...e, colour: STATE_INFO[e.state].colour })),
  }
}
