import { describe, expect, it } from 'vitest'
import { type Placed, unstack } from './unstack.js'

const node = (id: string, x: number, y: number): Placed => ({ id, x, y, width: 30, height: 45 })

/** Pairs of nodes whose boxes overlap once placed. */
function overlaps(nodes: readonly Placed[], at: Map<string, { x: number; y: number }>): string[] {
  const found: string[] = []
  for (const [i, a] of nodes.entries()) {
    for (const b of nodes.slice(i + 1)) {
      const p = at.get(a.id)!
      const q = at.get(b.id)!
      if (Math.abs(p.x - q.x) < (a.width + b.width) / 2 && Math.abs(p.y - q.y) < (a.height + b.height) / 2) found.push(`${a.id}/${b.id}`)
    }
  }
  return found
}

describe('unstack', () => {
  it('leaves a draft with no two nodes on one spot as it is', () => {
    expect(unstack([node('a', 0, 0), node('b', 100, 0), node('c', 0, 100)]).size).toBe(0)
  })

  it('spreads nodes on one spot, or a few px apart, into a grid in id order where none overlaps another', () => {
    const nodes = [node('d', 0.4, 3), node('b', 0, 0), node('c', -2, 1), node('a', 1, -4), node('e', 0, 0)]
    const at = unstack(nodes)
    expect(at.size).toBe(5)
    expect(overlaps(nodes, at)).toEqual([])
    // Three columns, read left to right, top to bottom.
    expect(at.get('a')!.x).toBeLessThan(at.get('b')!.x)
    expect(at.get('b')!.x).toBeLessThan(at.get('c')!.x)
    expect(at.get('d')!.y).toBeGreaterThan(at.get('a')!.y)
  })

  it('stretches the drawing so a grid keeps clear of the nodes around it', () => {
    const stack = Array.from({ length: 25 }, (_, i) => node(`s${String(i).padStart(2, '0')}`, 0, 0))
    const nodes = [...stack, node('channel', 60, 0), node('hub', 120, 0), node('other', 0, -80)]
    const at = unstack(nodes)
    expect(overlaps(nodes, at)).toEqual([])
    // The rest of the drawing keeps its shape: only scaled.
    expect(at.get('hub')!.x / at.get('channel')!.x).toBeCloseTo(2)
  })

  it('moves a node the capped stretch leaves under a grid, and nodes the draft put just over one spot apart', () => {
    // The stack's grid needs ~23 times the 16 px to its neighbour: past MAX_STRETCH, which would leave them overlapping.
    const stack = Array.from({ length: 100 }, (_, i) => node(`s${String(i).padStart(3, '0')}`, 0, 0))
    const nodes = [...stack, node('near', 16, 0), node('x', 500, 500), node('y', 520, 500)]
    const at = unstack(nodes)
    expect(overlaps(nodes, at)).toEqual([])
    const alone = [node('x', 0, 0), node('y', 20, 0), node('z', 300, 0)]
    const moved = unstack(alone)
    expect(overlaps(alone, moved)).toEqual([])
    expect(moved.get('z')).toEqual({ x: 300, y: 0 })
  })
})
