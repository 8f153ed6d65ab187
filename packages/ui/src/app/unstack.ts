/**
 * What fcose's draft layout leaves for us to do on a large graph: its spectral layout places nodes by their
 * graph distances to a few pivots, so nodes with the same neighbours (every consumer of one channel, every
 * channel of one provider) land on exactly the same spot, one hiding all the others. Each such stack is
 * spread into a grid on its spot, and the whole drawing is stretched about its spots just enough that no grid
 * reaches another spot's room. Pure (positions in, positions out), linear in nodes but for the stretch, which
 * compares each stack with every other spot.
 */

export interface Placed {
  id: string
  x: number
  y: number
  /** The node's box including its label (model coordinates). */
  width: number
  height: number
}

export interface Point {
  x: number
  y: number
}

/**
 * Nodes closer than this (model px; a service is 30 wide) share a spot: the one drawn on top hides the other.
 * The draft's equal neighbours are a few px apart, not exactly on one point (the one it took as a pivot is off).
 */
const SAME_SPOT = 15
/** Room between a grid's cells. */
const GAP = 10
/**
 * A bound on the stretch: two spots the draft put almost, but not quite, on top of each other would otherwise
 * blow the drawing up until everything else is a dot. Past it, a grid may touch its neighbour.
 */
const MAX_STRETCH = 12

interface Spot {
  x: number
  y: number
  nodes: Placed[]
  /** Half the diagonal of what is drawn on the spot: its grid, or its one node. */
  reach: number
  cell: { width: number; height: number; columns: number; rows: number }
}

/** New positions for every node, or none when nothing is stacked or covered (the draft stands as it is). */
export function unstack(nodes: readonly Placed[]): Map<string, Point> {
  const positions = spread(nodes)
  uncover(nodes, positions)
  return nodes.some((n) => positions.get(n.id)!.x !== n.x || positions.get(n.id)!.y !== n.y) ? positions : new Map()
}

/** Every node's position with each stack spread into a grid (the draft's own positions when nothing is stacked). */
function spread(nodes: readonly Placed[]): Map<string, Point> {
  const spots = spotsOf(nodes)
  const stacks = spots.filter((s) => s.nodes.length > 1)
  if (stacks.length === 0) return new Map(nodes.map((n) => [n.id, { x: n.x, y: n.y }]))
  let stretch = 1
  for (const stack of stacks) {
    for (const other of spots) {
      if (other === stack) continue
      const distance = Math.hypot(stack.x - other.x, stack.y - other.y)
      stretch = Math.max(stretch, (stack.reach + other.reach) / Math.max(distance, 1))
    }
  }
  stretch = Math.min(stretch, MAX_STRETCH)
  const positions = new Map<string, Point>()
  for (const spot of spots) {
    const { width, height, columns, rows } = spot.cell
    spot.nodes.forEach((node, i) => {
      const column = i % columns
      const row = Math.floor(i / columns)
      positions.set(node.id, {
        x: spot.x * stretch + (column - (columns - 1) / 2) * width,
        y: spot.y * stretch + (row - (rows - 1) / 2) * height,
      })
    })
  }
  return positions
}

/**
 * Moves each node whose box still overlaps another's (beside a grid whose stretch hit MAX_STRETCH, or two draft
 * spots just over SAME_SPOT apart) to the nearest place on rings of cells around it where it overlaps nothing, so
 * every node can be seen and clicked. Nodes are looked up in buckets of one cell, so this stays near linear.
 */
function uncover(nodes: readonly Placed[], at: Map<string, Point>): void {
  const cellWidth = Math.max(...nodes.map((n) => n.width)) + GAP
  const cellHeight = Math.max(...nodes.map((n) => n.height)) + GAP
  const buckets = new Map<string, Placed[]>()
  const key = (p: Point) => `${Math.floor(p.x / cellWidth)},${Math.floor(p.y / cellHeight)}`
  const add = (n: Placed) => {
    const k = key(at.get(n.id)!)
    const bucket = buckets.get(k)
    if (bucket) bucket.push(n)
    else buckets.set(k, [n])
  }
  const remove = (n: Placed) => {
    const bucket = buckets.get(key(at.get(n.id)!))!
    bucket.splice(bucket.indexOf(n), 1)
  }
  // Two boxes closer than half a GAP overlap: boxes include labels, which sit a little off a node's centre.
  const overlapsAny = (n: Placed, p: Point) => {
    const cx = Math.floor(p.x / cellWidth)
    const cy = Math.floor(p.y / cellHeight)
    for (let dx = -1; dx <= 1; dx++) {
      for (let dy = -1; dy <= 1; dy++) {
        for (const o of buckets.get(`${cx + dx},${cy + dy}`) ?? []) {
          if (o === n) continue
          const q = at.get(o.id)!
          if (Math.abs(p.x - q.x) < (n.width + o.width + GAP) / 2 && Math.abs(p.y - q.y) < (n.height + o.height + GAP) / 2) return true
        }
      }
    }
    return false
  }
  for (const n of nodes) add(n)
  for (const n of [...nodes].sort(byId)) {
    const from = at.get(n.id)!
    if (!overlapsAny(n, from)) continue
    for (const free of ringsAround(from, cellWidth, cellHeight)) {
      if (overlapsAny(n, free)) continue
      remove(n)
      at.set(n.id, free)
      add(n)
      break
    }
  }
}

/** Points on square rings of cells around `p`, nearest ring first, out to a ring wider than any grid of a few hundred nodes. */
function* ringsAround(p: Point, width: number, height: number): Generator<Point> {
  for (let ring = 1; ring <= 40; ring++) {
    for (let dx = -ring; dx <= ring; dx++) {
      for (let dy = -ring; dy <= ring; dy++) {
        if (Math.max(Math.abs(dx), Math.abs(dy)) === ring) yield { x: p.x + dx * width, y: p.y + dy * height }
      }
    }
  }
}

/** Nodes in id order: a grid reads as the list below the graph does, and moving them is deterministic. */
const byId = (a: Placed, b: Placed) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)

function spotsOf(nodes: readonly Placed[]): Spot[] {
  return stacksOf(nodes).map((stacked) => {
    stacked.sort(byId)
    const width = Math.max(...stacked.map((n) => n.width)) + GAP
    const height = Math.max(...stacked.map((n) => n.height)) + GAP
    const columns = Math.ceil(Math.sqrt(stacked.length))
    const rows = Math.ceil(stacked.length / columns)
    return {
      x: stacked.reduce((sum, n) => sum + n.x, 0) / stacked.length,
      y: stacked.reduce((sum, n) => sum + n.y, 0) / stacked.length,
      nodes: stacked,
      reach: Math.hypot(columns * width, rows * height) / 2,
      cell: { width, height, columns, rows },
    }
  })
}

/**
 * Nodes in groups of those within SAME_SPOT of each other, transitively (the draft's equal coordinates differ
 * in their last digits, so rounding to a grid would cut a stack in two wherever it straddles a grid line).
 */
function stacksOf(nodes: readonly Placed[]): Placed[][] {
  const byX = [...nodes].sort((a, b) => a.x - b.x)
  const parent = byX.map((_, i) => i)
  const root = (i: number): number => {
    while (parent[i] !== i) i = parent[i] = parent[parent[i]!]!
    return i
  }
  for (let i = 0; i < byX.length; i++) {
    for (let j = i + 1; j < byX.length && byX[j]!.x - byX[i]!.x < SAME_SPOT; j++) {
      if (Math.abs(byX[j]!.y - byX[i]!.y) < SAME_SPOT) parent[root(j)] = root(i)
    }
  }
  const groups = new Map<number, Placed[]>()
  byX.forEach((node, i) => {
    const group = groups.get(root(i))
    if (group) group.push(node)
    else groups.set(root(i), [node])
  })
  return [...groups.values()]
}
