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

/** New positions for every node, or none when nothing is stacked (the draft stands as it is). */
export function unstack(nodes: readonly Placed[]): Map<string, Point> {
  const spots = spotsOf(nodes)
  const stacks = spots.filter((s) => s.nodes.length > 1)
  if (stacks.length === 0) return new Map()
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

function spotsOf(nodes: readonly Placed[]): Spot[] {
  return stacksOf(nodes).map((stacked) => {
    // Sorted by id, so the grid reads in the order the list below the graph does.
    stacked.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
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
