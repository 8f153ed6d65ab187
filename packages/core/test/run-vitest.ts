/**
 * Runs vitest as a child process on a directory of generated test files and returns its JSON report.
 * Used by tests that need real vitest workers (parallel contract writing, contractTests end to end).
 */
import { spawn } from 'node:child_process'
import { mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'

const here = dirname(fileURLToPath(import.meta.url))
export const repoRoot = resolve(here, '../../..')
export const coreSource = resolve(here, '../src/index.ts')
export const coreVitestSource = resolve(here, '../src/vitest.ts')

/** A fresh directory inside the repo (so `vitest` resolves from it), ignored by git and the main run. */
export async function workDir(prefix: string): Promise<string> {
  const base = join(repoRoot, 'packages/core/.tmp')
  await mkdir(base, { recursive: true })
  return mkdtemp(join(base, `${prefix}-`))
}

export interface VitestReport {
  numPassedTests: number
  numFailedTests: number
  testResults: { name: string; status: string; assertionResults: { title: string; status: string; failureMessages: string[] }[] }[]
}

/** `timeoutMs`: kill the run (by pid) when it has not ended by then, as a test of a hang must not hang itself. */
export async function runVitest(
  root: string,
  extraArgs: string[] = [],
  { timeoutMs }: { timeoutMs?: number } = {},
): Promise<{ code: number; report: VitestReport; output: string }> {
  const out = join(root, 'report.json')
  // Its own config, or vitest would find the repository's by searching upwards.
  const config = join(root, 'vitest.config.mjs')
  await writeFile(config, "export default { test: { include: ['**/*.test.ts'], testTimeout: 30000 } }\n")
  const args = [
    join(repoRoot, 'node_modules/vitest/vitest.mjs'),
    'run',
    '--root',
    root,
    '--config',
    config,
    '--reporter=json',
    `--outputFile=${out}`,
    '--pool=forks',
    ...extraArgs,
  ]
  const child = spawn(process.execPath, args, { cwd: root, env: { ...process.env, NO_COLOR: '1' }, stdio: ['ignore', 'pipe', 'pipe'] })
  let output = ''
  child.stdout.on('data', (d) => (output += d))
  child.stderr.on('data', (d) => (output += d))
  const timer = timeoutMs === undefined ? undefined : setTimeout(() => child.kill('SIGKILL'), timeoutMs)
  const code = await new Promise<number>((done) => child.on('close', (c) => done(c ?? 1)))
  clearTimeout(timer)
  if (timeoutMs !== undefined && child.signalCode === 'SIGKILL') throw new Error(`vitest did not end within ${timeoutMs} ms:\n${output}`)
  const report = JSON.parse(await readFile(out, 'utf8')) as VitestReport
  return { code, report, output }
}
