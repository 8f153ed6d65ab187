import { mkdtemp, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { treaty } from './treaty.js'

const v1 = { type: 'object', required: ['jobId'], properties: { jobId: { type: 'string' }, pages: { type: 'integer' } } }
// v2 reads `pages` as required: messages written with v1 may lack it.
const v2 = { type: 'object', required: ['jobId', 'pages'], properties: { jobId: { type: 'string' }, pages: { type: 'integer' } } }
// v3 drops the requirement and widens the type: reads everything v1 and v2 wrote.
const v3 = { type: 'object', required: ['jobId'], properties: { jobId: { type: 'string' }, pages: { type: 'number' } } }

async function files(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'treaty-compat-'))
  for (const [name, schema] of Object.entries({ v1, v2, v3 })) await writeFile(join(dir, `${name}.json`), JSON.stringify(schema))
  await writeFile(
    join(dir, 'contract-v1.json'),
    JSON.stringify({
      treaty: '1',
      consumer: 'c',
      provider: 'p',
      expectations: [{ description: 'a job', channel: 'jobs', providerStates: [], payload: { schema: v1, example: { jobId: 'j' } } }],
    }),
  )
  await writeFile(
    join(dir, 'contract-v2.json'),
    JSON.stringify({
      treaty: '1',
      consumer: 'c',
      provider: 'p',
      expectations: [
        { description: 'a job', channel: 'jobs', providerStates: [], payload: { schema: v2, example: { jobId: 'j', pages: 1 } } },
      ],
    }),
  )
  return dir
}

describe('treaty compat', () => {
  it('exits 1 naming the pointer and kind when the new reader cannot read old data (backward)', async () => {
    const dir = await files()
    const r = await treaty(['compat', 'v1.json', 'v2.json'], { cwd: dir })
    expect(r.code).toBe(1)
    expect(r.stdout).toContain('/pages  REQUIRED_PROPERTY_ADDED')
    expect(r.stdout).toContain('✗ incompatible (backward)')
  })

  it('exits 0 when compatible, and checks every earlier version in transitive modes', async () => {
    const dir = await files()
    expect((await treaty(['compat', 'v2.json', 'v3.json'], { cwd: dir })).code).toBe(0)
    expect((await treaty(['compat', 'v1.json', 'v2.json', 'v3.json', '--mode', 'backward'], { cwd: dir })).code).toBe(0)
    const full = await treaty(['compat', 'v1.json', 'v2.json', 'v3.json', '--mode', 'forward_transitive', '--json'], { cwd: dir })
    expect(full.code).toBe(1)
    expect(JSON.parse(full.stdout).subjects[0].differences.length).toBeGreaterThan(0)
  })

  it('compares contracts expectation by expectation', async () => {
    const dir = await files()
    const r = await treaty(['compat', 'contract-v1.json', 'contract-v2.json', '--json'], { cwd: dir })
    expect(r.code).toBe(1)
    const result = JSON.parse(r.stdout)
    expect(result.subjects.find((s: { subject: string }) => s.subject === '"a job" payload').compatible).toBe(false)
  })

  it('exits 2 on an unreadable file or an unknown mode', async () => {
    const dir = await files()
    expect((await treaty(['compat', 'v1.json', 'nope.json'], { cwd: dir })).code).toBe(2)
    expect((await treaty(['compat', 'v1.json', 'v2.json', '--mode', 'sideways'], { cwd: dir })).code).toBe(2)
  })
})
