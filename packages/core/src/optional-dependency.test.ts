import { mkdtemp, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { describe, expect, it } from 'vitest'
import { ErrorCodes, isTreatyError } from './errors.js'
import { importOptional } from './optional-dependency.js'

const ABSENT = 'treaty-test-package-that-is-not-installed'

async function manifest(peerDependencies: Record<string, string>): Promise<URL> {
  const file = join(await mkdtemp(join(tmpdir(), 'treaty-peer-')), 'package.json')
  await writeFile(file, JSON.stringify({ name: 'x', peerDependencies }))
  return pathToFileURL(file)
}

async function failure(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => expect.unreachable('should have failed'),
    (err: unknown) => err,
  )
}

describe('importOptional', () => {
  it('names the missing package, the feature and the install command with the declared range', async () => {
    const err = await failure(
      importOptional({ name: ABSENT, feature: 'the feature', manifest: await manifest({ [ABSENT]: '^2.1.0' }) }, () => import(ABSENT)),
    )
    expect(isTreatyError(err, ErrorCodes.DEPENDENCY_MISSING), String(err)).toBe(true)
    expect(err).toMatchObject({ details: { package: ABSENT, range: '^2.1.0' }, hint: `npm install --save-dev ${ABSENT}@"^2.1.0"` })
    expect((err as Error).message.split('\n')[0]).toBe(`the feature needs ${ABSENT}, which is not installed`)
  })

  it('leaves out a workspace range, which npm cannot install', async () => {
    const err = await failure(
      importOptional({ name: ABSENT, feature: 'f', manifest: await manifest({ [ABSENT]: 'workspace:^' }) }, () => import(ABSENT)),
    )
    expect(err).toMatchObject({ code: ErrorCodes.DEPENDENCY_MISSING, hint: `npm install --save-dev ${ABSENT}` })
  })

  it('passes other failures through unchanged, also a missing package other than the one named', async () => {
    const url = await manifest({})
    const other = await failure(importOptional({ name: 'ts-morph', feature: 'f', manifest: url }, () => import(ABSENT)))
    expect(isTreatyError(other)).toBe(false)
    const boom = new Error('boom')
    const thrown = await failure(importOptional({ name: 'ts-morph', feature: 'f', manifest: url }, () => Promise.reject(boom)))
    expect(thrown).toBe(boom)
  })

  it('resolves with the module when it is installed', async () => {
    const ajv = await importOptional({ name: 'ajv', feature: 'f', manifest: await manifest({}) }, () => import('ajv'))
    expect(typeof ajv.default).toBe('function')
  })
})
