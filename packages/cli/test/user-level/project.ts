/**
 * A new user's project, outside the repository: the packages as npm installs them from their tarballs,
 * and commands run there the way a developer or a pipeline runs them (npx, bash), with their exit codes.
 */
import { type ChildProcess, spawn } from 'node:child_process'
import { readFile } from 'node:fs/promises'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'

export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../../../..')

export interface Run {
  code: number
  stdout: string
  stderr: string
}

/** The environment a fresh shell has: no Treaty or CI variables leaking in from the test runner. */
export function cleanEnv(extra: Record<string, string> = {}): Record<string, string> {
  const env: Record<string, string> = { NO_COLOR: '1' }
  for (const [key, value] of Object.entries(process.env)) {
    if (value === undefined || /^(TREATY_|GITHUB_|CI_|GIT_|VITEST|npm_)/.test(key) || key === 'NODE_OPTIONS') continue
    env[key] = value
  }
  return { ...env, ...extra }
}

export function run(command: string, args: string[], options: { cwd: string; env?: Record<string, string> }): Promise<Run> {
  const child = spawn(command, args, { cwd: options.cwd, env: options.env ?? cleanEnv(), stdio: ['ignore', 'pipe', 'pipe'] })
  let stdout = ''
  let stderr = ''
  child.stdout.on('data', (d) => (stdout += d))
  child.stderr.on('data', (d) => (stderr += d))
  return new Promise((done) => {
    child.on('error', (err) => done({ code: 127, stdout, stderr: `${stderr}${err.message}` }))
    child.on('close', (code) => done({ code: code ?? 1, stdout, stderr }))
  })
}

/** One line of shell, as a CI runner executes a `run:` or `script:` entry. */
export function sh(line: string, options: { cwd: string; env?: Record<string, string> }): Promise<Run> {
  return run('bash', ['-euo', 'pipefail', '-c', line], options)
}

/** `npm install` in `cwd`, from the local cache where it can; the registry only for what is missing. */
export function npmInstall(cwd: string, specs: string[]): Promise<Run> {
  return run('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', '--loglevel=warn', ...specs], { cwd, env: cleanEnv() })
}

/** The fenced code block that follows `<!-- marker -->` in a repository file: what a reader copies. */
export async function docBlock(file: string, marker: string): Promise<string> {
  const text = await readFile(join(repoRoot, file), 'utf8')
  const at = text.indexOf(`<!-- ${marker} -->`)
  if (at < 0) throw new Error(`<!-- ${marker} --> not found in ${file}`)
  const open = text.indexOf('```', at)
  const start = text.indexOf('\n', open) + 1
  return text.slice(start, text.indexOf('\n```', start) + 1)
}

export interface Server {
  url: string
  output(): string
  stop(): Promise<void>
}

/** Starts a long-running shell command in its own process group (npx → sh → node) and waits for its URL. */
export async function startServer(line: string, options: { cwd: string; env: Record<string, string> }): Promise<Server> {
  const child: ChildProcess = spawn('bash', ['-c', line], {
    cwd: options.cwd,
    env: options.env,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let output = ''
  const url = await new Promise<string>((done, fail) => {
    const timer = setTimeout(() => fail(new Error(`${line} did not start within 120 s:\n${output}`)), 120_000)
    child.stdout!.on('data', (d) => {
      output += d
      const m = /listening on (http:\/\/\S+)/.exec(output)
      if (m) {
        clearTimeout(timer)
        done(m[1]!)
      }
    })
    child.stderr!.on('data', (d) => (output += d))
    child.on('exit', (code) => {
      clearTimeout(timer)
      fail(new Error(`${line} exited (${code}) before listening:\n${output}`))
    })
  })
  return {
    url,
    output: () => output,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return
      const exited = new Promise((done) => child.once('exit', done))
      // The whole group this test started: npx's shell and the broker it runs.
      process.kill(-child.pid!, 'SIGTERM')
      await exited
    },
  }
}
