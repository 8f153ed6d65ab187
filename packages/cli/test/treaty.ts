/** Runs the built `treaty` binary as a user would, capturing output and exit code. */
import { spawn } from 'node:child_process'
import { dirname, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'

export const bin = resolve(dirname(fileURLToPath(import.meta.url)), '../dist/bin.js')

export interface Run {
  code: number
  stdout: string
  stderr: string
}

/** The run, which can also be read while it is still going (`stderrSoFar`), e.g. to wait for a long-running command to be ready. */
export type RunningTreaty = Promise<Run> & { stderrSoFar(): string }

export function treaty(
  args: string[],
  options: { cwd?: string; env?: Record<string, string | undefined>; timeoutMs?: number } = {},
): RunningTreaty {
  const env: Record<string, string | undefined> = { ...process.env, NO_COLOR: '1' }
  for (const key of Object.keys(env)) if (key.startsWith('TREATY_') || /^(GITHUB|CI_COMMIT|GIT_)/.test(key)) delete env[key]
  Object.assign(env, options.env)
  const child = spawn(process.execPath, [bin, ...args], {
    cwd: options.cwd ?? process.cwd(),
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
    // A command that should have refused to start (e.g. `treaty broker`) is stopped instead of hanging the test.
    ...(options.timeoutMs ? { timeout: options.timeoutMs } : {}),
  })
  let stdout = ''
  let stderr = ''
  child.stdout.on('data', (d) => (stdout += d))
  child.stderr.on('data', (d) => (stderr += d))
  const done = new Promise<Run>((resolve) => child.on('close', (code) => resolve({ code: code ?? 1, stdout, stderr })))
  return Object.assign(done, { stderrSoFar: () => stderr })
}
