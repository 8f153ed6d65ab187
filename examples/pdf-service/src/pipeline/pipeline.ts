/**
 * The example's CI pipeline, as a CI system would run it, with the real `treaty` binary against a real
 * broker: consumer tests → treaty publish → treaty verify --publish (replay, then the static check) →
 * treaty can-i-deploy --to production → treaty record-deployment. Every step is a child process; the
 * first failing step stops the pipeline and its output is kept for the report.
 */
import { type ChildProcess, spawn } from 'node:child_process'
import { mkdtemp, rm } from 'node:fs/promises'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'

const here = dirname(fileURLToPath(import.meta.url))
/** examples/pdf-service */
export const EXAMPLE_DIR = resolve(here, '../..')
const REPO_ROOT = resolve(EXAMPLE_DIR, '../..')
const TREATY_BIN = join(dirname(createRequire(import.meta.url).resolve('@treaty/cli/package.json')), 'dist/bin.js')
const VITEST_BIN = join(REPO_ROOT, 'node_modules/vitest/vitest.mjs')

export interface Step {
  name: string
  command: string
  code: number
  output: string
}

export interface PipelineOptions {
  brokerUrl: string
  /** Version of both services in this run (a commit sha in a real pipeline). */
  version: string
  branch?: string
  /** Producer modules per provider (compiled JavaScript or TypeScript); default: the services' own. */
  producers?: Partial<Record<'pdf-api' | 'pdf-worker', string>>
  /** Run the consumer tests first (default true); false verifies the contracts already committed. */
  consumerTests?: boolean
  /** Deploy when can-i-deploy says yes (default true). */
  deploy?: boolean
  log?: (line: string) => void
}

export interface PipelineResult {
  ok: boolean
  steps: Step[]
}

const SERVICES = ['pdf-worker', 'pdf-api'] as const
const DEFAULT_PRODUCERS = {
  'pdf-api': join(EXAMPLE_DIR, 'src/contract/pdf-api.producers.ts'),
  'pdf-worker': join(EXAMPLE_DIR, 'src/contract/pdf-worker.producers.ts'),
}

export async function runPipeline(options: PipelineOptions): Promise<PipelineResult> {
  const steps: Step[] = []
  const log = options.log ?? (() => {})
  const branch = options.branch ?? 'main'
  const env = { TREATY_BROKER_URL: options.brokerUrl, NO_COLOR: '1' }
  const run = async (name: string, args: string[], bin = TREATY_BIN): Promise<boolean> => {
    const step = await exec(name, [bin, ...args], env)
    steps.push(step)
    log(`${step.code === 0 ? '✓' : '✗'} ${name}`)
    if (step.code !== 0) log(step.output.trimEnd().replace(/^/gm, '    '))
    return step.code === 0
  }
  const done = (ok: boolean): PipelineResult => ({ ok, steps })
  const producers = { ...DEFAULT_PRODUCERS, ...options.producers }

  if (options.consumerTests !== false) {
    // A vitest filter: the example's consumer contract tests (`*.contract.test.ts`), nothing else.
    if (!(await run('consumer tests (write contracts)', ['run', '--root', REPO_ROOT, '.contract.test.ts'], VITEST_BIN))) return done(false)
  }
  if (!(await run('treaty publish', ['publish', join(EXAMPLE_DIR, 'contracts'), '--app-version', options.version, '--branch', branch])))
    return done(false)
  let verified = true
  for (const service of SERVICES) {
    const common = ['--service', service, '--producers', producers[service], '--app-version', options.version, '--branch', branch]
    verified = (await run(`treaty verify ${service}`, ['verify', ...common, '--publish'])) && verified
  }
  // Static verification where it applies: the worker's event type carries every refinement the consumer relies on.
  verified =
    (await run('treaty verify --static pdf-worker', [
      'verify',
      '--static',
      '--service',
      'pdf-worker',
      '--producers',
      DEFAULT_PRODUCERS['pdf-worker'],
    ])) && verified
  let deployable = true
  for (const service of SERVICES) {
    deployable =
      (await run(`treaty can-i-deploy ${service}`, [
        'can-i-deploy',
        '--service',
        service,
        '--app-version',
        options.version,
        '--to',
        'production',
      ])) && deployable
  }
  if (!verified || !deployable) return done(false)
  if (options.deploy !== false) {
    for (const service of SERVICES) {
      if (
        !(await run(`treaty record-deployment ${service}`, [
          'record-deployment',
          '--service',
          service,
          '--app-version',
          options.version,
          '--environment',
          'production',
        ]))
      ) {
        return done(false)
      }
    }
  }
  return done(true)
}

function exec(name: string, args: string[], env: Record<string, string>): Promise<Step> {
  const child = spawn(process.execPath, args, { cwd: EXAMPLE_DIR, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] })
  let output = ''
  child.stdout.on('data', (d) => (output += d))
  child.stderr.on('data', (d) => (output += d))
  return new Promise((done) => child.on('close', (code) => done({ name, command: `node ${args.join(' ')}`, code: code ?? 1, output })))
}

export interface LocalBroker {
  url: string
  stop(): Promise<void>
}

/** A throwaway broker (embedded storage, free port) with a production environment, stopped by PID. */
export async function startLocalBroker(): Promise<LocalBroker> {
  const dataDir = await mkdtemp(join(tmpdir(), 'pdf-pipeline-broker-'))
  const child: ChildProcess = spawn(process.execPath, [TREATY_BIN, 'broker', '--port', '0', '--data-dir', join(dataDir, 'data')], {
    env: { ...process.env, LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let output = ''
  const started = new Promise<string>((ok, fail) => {
    // Generous: on a loaded shared CI machine, PGlite's first start (WASM compile, migrations) has taken over a minute.
    const timer = setTimeout(() => fail(new Error(`broker did not start within 180 s:\n${output}`)), 180_000)
    child.stdout?.on('data', (d) => {
      output += d
      const m = /listening on (http:\/\/\S+)/.exec(output)
      if (m) {
        clearTimeout(timer)
        ok(m[1]!)
      }
    })
    child.stderr?.on('data', (d) => (output += d))
    child.on('exit', (code) => fail(new Error(`broker exited (${code}):\n${output}`)))
  })
  // A broker that never said it listens is still ours to stop (by PID), with its data dir.
  const url = await started.catch(async (error: unknown) => {
    child.kill('SIGKILL')
    await rm(dataDir, { recursive: true, force: true })
    throw error
  })
  const stop = async () => {
    if (child.exitCode === null) {
      const exited = new Promise((r) => child.once('exit', r))
      child.kill('SIGTERM')
      await exited
    }
    await rm(dataDir, { recursive: true, force: true })
  }
  const created = await exec('environment', [TREATY_BIN, 'environment', 'create', 'production', '--production'], { TREATY_BROKER_URL: url })
  if (created.code !== 0) {
    await stop()
    throw new Error(`could not create the production environment:\n${created.output}`)
  }
  return { url, stop }
}
