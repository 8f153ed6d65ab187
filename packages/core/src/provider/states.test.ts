import { describe, expect, it } from 'vitest'
import { KeyedLock, StateRunner } from './states.js'

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

describe('KeyedLock', () => {
  it('hands a key to one holder at a time, in the order asked', async () => {
    const lock = new KeyedLock()
    const events: string[] = []
    const hold = async (name: string, ms: number) => {
      const release = await lock.acquire(['k'])
      events.push(`${name} in`)
      await sleep(ms)
      events.push(`${name} out`)
      release()
    }
    await Promise.all([hold('a', 10), hold('b', 1), hold('c', 1)])
    expect(events).toEqual(['a in', 'a out', 'b in', 'b out', 'c in', 'c out'])
  })

  it('lets different keys proceed at once', async () => {
    const lock = new KeyedLock()
    const first = await lock.acquire(['a'])
    const second = await Promise.race([lock.acquire(['b']), sleep(50).then(() => 'blocked')])
    expect(second).toBeTypeOf('function')
    first()
    ;(second as () => void)()
  })
})

describe('StateRunner', () => {
  it('names every unknown state once', () => {
    const runner = new StateRunner({ known: () => {} }, 1000)
    expect(runner.unknown([{ name: 'known' }, { name: 'x' }, { name: 'x' }, { name: 'y' }])).toEqual(['x', 'y'])
    expect(runner.known).toEqual(['known'])
  })

  it('refuses a handler object with keys other than setup, teardown and parallelSafe, naming them', () => {
    // A states module exporting Pact's `stateHandlers` map, read as the map itself: one "state" named stateHandlers.
    const make = () => new StateRunner({ stateHandlers: { 'an invoice exists': () => {} } } as never, 1000)
    expect(make).toThrow(
      expect.objectContaining({
        code: 'TREATY_VERIFY_CONFIG_INVALID',
        path: 'states.stateHandlers',
        message: 'states["stateHandlers"] must be a setup function or { setup, teardown, parallelSafe } (found "an invoice exists")',
        hint: "states are keyed by state name: export const states = { 'an invoice exists': async (params) => seed(params) }",
      }),
    )
    expect(new StateRunner({ s: { parallelSafe: true } }, 1000).known).toEqual(['s'])
  })

  it("refuses a parallelSafe that is not true or false: 'false' would let the state run without its lock", () => {
    const make = () => new StateRunner({ s: { setup: () => {}, parallelSafe: 'false' } } as never, 1000)
    expect(make).toThrow(expect.objectContaining({ code: 'TREATY_VERIFY_CONFIG_INVALID', path: 'states.s' }))
  })

  it('runs the cleanup a setup returns, then the declared teardown, even when the body fails', async () => {
    const events: string[] = []
    const runner = new StateRunner(
      {
        s: {
          setup: () => () => events.push('cleanup'),
          teardown: () => void events.push('teardown'),
        },
      },
      1000,
    )
    const failures = await runner.around([{ name: 's' }], async () => {
      events.push('body')
    })
    expect(failures).toEqual([])
    expect(events).toEqual(['body', 'cleanup', 'teardown'])
  })

  it('reports a setup that times out, and still tears down', async () => {
    const events: string[] = []
    const runner = new StateRunner({ s: { setup: () => new Promise(() => {}), teardown: () => void events.push('teardown') } }, 20)
    const failures = await runner.around([{ name: 's' }], async () => {
      events.push('body')
    })
    expect(failures).toEqual([{ phase: 'setup', state: 's', error: expect.objectContaining({ name: 'TimeoutError' }) }])
    expect(events).toEqual(['teardown'])
  })

  it('answers at once when the lock is free and every hook is synchronous, and still waits for a holder', async () => {
    const events: string[] = []
    let slow = true
    const runner = new StateRunner(
      {
        s: {
          setup: () => (slow ? sleep(20).then(() => void events.push('slow setup')) : void events.push('fast setup')),
          teardown: () => void events.push('teardown'),
        },
      },
      1000,
    )
    const body = (name: string) => () => void events.push(name)
    const first = runner.around([{ name: 's' }], body('first body'))
    expect(first).toBeInstanceOf(Promise)
    slow = false
    // Its hooks are synchronous, but the first expectation holds the state: it must wait its turn.
    const second = runner.around([{ name: 's' }], body('second body'))
    expect(second).toBeInstanceOf(Promise)
    expect(await Promise.all([first, second])).toEqual([[], []])
    expect(events).toEqual(['slow setup', 'first body', 'teardown', 'fast setup', 'second body', 'teardown'])
    expect(runner.around([{ name: 's' }], body('third body'))).toEqual([])
    expect(events.slice(6)).toEqual(['fast setup', 'third body', 'teardown'])
  })

  it('reports a setup that throws synchronously, tears down, and frees the state', () => {
    const events: string[] = []
    const runner = new StateRunner(
      {
        s: {
          setup: () => {
            throw new Error('seed failed')
          },
          teardown: () => void events.push('teardown'),
        },
      },
      1000,
    )
    const body = () => void events.push('body')
    expect(runner.around([{ name: 's' }], body)).toEqual([
      { phase: 'setup', state: 's', error: expect.objectContaining({ message: 'seed failed' }) },
    ])
    expect(runner.around([{ name: 's' }], body)).toHaveLength(1)
    expect(events).toEqual(['teardown', 'teardown'])
  })
})
