/**
 * The quick start as a new user lives it: the packages packed into tarballs, installed with npm into a
 * project outside the repository, the README's examples and the tutorial's CI steps run there against a
 * broker started with the installed CLI. It fails when a package misses a file, leaks a workspace
 * dependency, warns about engines on Node 20, or when a README or tutorial example stops working.
 */
import { existsSync } from 'node:fs'
import { cp, mkdir, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ciJobs } from './user-level/ci-yaml.js'
import { cleanEnv, docBlock, npmInstall, repoRoot, run, type Server, sh, startServer } from './user-level/project.js'
import { packAll, packagingProblems, type Tarball } from './user-level/tarballs.js'

const TOKENS = {
  TREATY_READ_TOKEN: 'read-secret-0123456789',
  TREATY_WRITE_TOKEN: 'write-secret-0123456789',
  TREATY_ADMIN_TOKEN: 'admin-secret-0123456789',
}
const HEAVY = ['ts-morph', 'json-schema-to-typescript', '@electric-sql/pglite', 'fastify', '@treaty/broker']

describe('a new user installs Treaty from its tarballs and follows the README and the tutorial', () => {
  let work: string
  let project: string
  let tarballs: Map<string, Tarball>
  let broker: Server | undefined
  const tgz = (name: string) => tarballs.get(name)!.file
  const installed = (name: string) => existsSync(join(project, 'node_modules', name, 'package.json'))
  /** Runs `node -e` in the project: what a user's own script would see. */
  const node = (code: string) => run(process.execPath, ['--input-type=module', '-e', code], { cwd: project })

  beforeAll(async () => {
    work = await mkdtemp(join(tmpdir(), 'treaty-user-level-'))
    project = join(work, 'project')
    expect(project.startsWith(repoRoot)).toBe(false)
    await mkdir(project)
    await writeFile(
      join(project, 'package.json'),
      `${JSON.stringify({ name: 'treaty-adopter', private: true, type: 'module' }, null, 2)}\n`,
    )
    tarballs = await packAll(join(work, 'packs'))
  }, 300_000)

  afterAll(async () => {
    await broker?.stop()
    if (work) await rm(work, { recursive: true, force: true })
  })

  it('packs @treaty/core, @treaty/cli and @treaty/broker with every file they name, and no workspace range', () => {
    expect([...tarballs.keys()]).toEqual(expect.arrayContaining(['@treaty/core', '@treaty/cli', '@treaty/broker']))
    for (const [name, tarball] of tarballs) {
      expect(packagingProblems(tarball), name).toEqual([])
      expect(JSON.stringify(tarball.manifest), name).not.toContain('workspace:')
    }
    const cli = tarballs.get('@treaty/cli')!.manifest
    expect(cli.bin).toEqual({ treaty: './dist/bin.js' })
    expect(cli.dependencies).not.toHaveProperty('@treaty/broker')
    expect(cli.peerDependenciesMeta?.['@treaty/broker']?.optional).toBe(true)
    const core = tarballs.get('@treaty/core')!
    expect(Object.keys(core.manifest.dependencies ?? {}).filter((d) => HEAVY.includes(d))).toEqual([])
    // The hint of an unreadable contract names this file: a user of the installed package can open it.
    expect(core.files.has('docs/contract-format.md')).toBe(true)
  })

  it('installs @treaty/core alone without ts-morph, PGlite or fastify, and names what /analysis and /codegen need', async () => {
    const install = await npmInstall(project, [tgz('@treaty/core')])
    expect(install.code, install.stderr).toBe(0)
    expect(install.stderr).not.toContain('EBADENGINE')
    expect(HEAVY.filter(installed)).toEqual([])

    const analysis = await node(
      "import('@treaty/core/analysis').catch((e) => { console.log(JSON.stringify({ code: e.code, message: e.message, hint: e.hint })) })",
    )
    expect(JSON.parse(analysis.stdout)).toEqual({
      code: 'TREATY_DEPENDENCY_MISSING',
      message: '@treaty/core/analysis needs ts-morph, which is not installed',
      hint: 'npm install --save-dev ts-morph@"^28.0.0"',
    })
    const contract = (await docBlock('docs/contract-format.md', 'complete-example')).trim()
    const codegen = await node(
      `const { generateModule } = await import('@treaty/core/codegen'); generateModule(${contract}).catch((e) => console.log(e.code, e.hint))`,
    )
    expect(codegen.stdout.trim(), codegen.stderr).toBe(
      'TREATY_DEPENDENCY_MISSING npm install --save-dev json-schema-to-typescript@"^16.0.0"',
    )
  })

  it('installs @treaty/cli without a broker; `treaty broker` names the package to install', async () => {
    const install = await npmInstall(project, [tgz('@treaty/cli')])
    expect(install.code, install.stderr).toBe(0)
    expect(install.stderr).not.toContain('EBADENGINE')
    expect(HEAVY.filter(installed)).toEqual([])
    const help = await sh('npx @treaty/cli --help', { cwd: project })
    expect(help.code, help.stderr).toBe(0)
    expect(help.stdout).toContain('can-i-deploy')
    const brokerless = await sh('npx @treaty/cli broker --port 0', { cwd: project })
    expect(brokerless.code).toBe(2)
    expect(brokerless.stderr).toContain('error: treaty broker needs @treaty/broker, which is not installed')
    expect(brokerless.stderr).toContain('hint: npm install --save-dev @treaty/broker@"^0.1.0"')
  }, 300_000)

  it('runs the README examples, the tutorial and both pipelines (GitHub Actions, GitLab CI) with honest exit codes', async () => {
    const install = await npmInstall(project, [tgz('@treaty/ui'), tgz('@treaty/broker'), 'vitest@4.1.12'])
    expect(install.code, install.stderr).toBe(0)
    expect(install.stderr).not.toContain('EBADENGINE')
    await typecheck(project)

    // Two repositories, as in the tutorial, each its own npm project (sharing one install through a link).
    const worker = await repository(project, 'pdf-worker')
    const api = await repository(project, 'pdf-api')
    await writeFile(join(worker, 'src/pdf-request.contract.test.ts'), await docBlock('README.md', 'consumer-example'))
    await writeFile(join(api, 'src/pdf-api.ts'), await docBlock('docs/tutorial.md', 'tutorial:pdf-api'))
    await writeFile(join(api, 'src/producers.ts'), await docBlock('docs/tutorial.md', 'tutorial:producers'))
    await writeFile(join(api, 'src/pdf-api.contract.test.ts'), await docBlock('README.md', 'provider-example'))

    // The broker, started by the tutorial's command with the installed CLI (on a free loopback port).
    const brokerLine = lastLine(await docBlock('docs/tutorial.md', 'tutorial:broker'))
    expect(brokerLine).toContain('npx @treaty/cli broker --host 0.0.0.0')
    const command = withoutEnv(brokerLine).replace('--host 0.0.0.0', `--port 0 --data-dir ${join(work, 'broker-data')}`)
    broker = await startServer(command, { cwd: project, env: cleanEnv({ ...TOKENS, LOG_LEVEL: 'warn' }) })
    const admin = cleanEnv({ TREATY_BROKER_URL: broker.url, TREATY_TOKEN: TOKENS.TREATY_ADMIN_TOKEN })
    const environment = await sh(withoutEnv(lastLine(await docBlock('docs/tutorial.md', 'tutorial:environment'))), {
      cwd: project,
      env: admin,
    })
    expect(environment.code, environment.stderr).toBe(0)

    const pipeline = (vars: Record<string, string>) =>
      cleanEnv({ TREATY_BROKER_URL: broker!.url, TREATY_TOKEN: TOKENS.TREATY_WRITE_TOKEN, ...vars })
    // GitHub Actions, first release of both services: the consumer's tests write the contract it publishes.
    const github = (sha: string) => pipeline({ GITHUB_SHA: sha, GITHUB_REF_NAME: 'main' })
    await runJobs('docs/ci/github-consumer.yml', worker, github('w1'))
    expect(existsSync(join(worker, 'contracts/pdf-worker--pdf-api.json'))).toBe(true)
    // Exit 0 alone could mean "nothing to verify": the results must have been published.
    expect(await runJobs('docs/ci/github-provider.yml', api, github('a1'))).toContain('published results as pdf-api a1')

    // The README's provider test, as a developer runs it against the consumer's contract files.
    await cp(join(worker, 'contracts'), join(api, 'contracts'), { recursive: true })
    const providerTest = await sh('npx vitest run', { cwd: api })
    expect(providerTest.code, providerTest.stdout + providerTest.stderr).toBe(0)
    expect(providerTest.stdout).toMatch(/1 passed/)

    // GitLab CI, the next release of both.
    const gitlab = (sha: string) =>
      pipeline({ CI_COMMIT_SHA: sha, CI_COMMIT_REF_NAME: 'main', CI_COMMIT_BRANCH: 'main', CI_DEFAULT_BRANCH: 'main' })
    await runJobs('docs/ci/gitlab-consumer.yml', worker, gitlab('w2'))
    expect(await runJobs('docs/ci/gitlab-provider.yml', api, gitlab('a2'))).toContain('published results as pdf-api a2')
    expect(existsSync(join(api, 'treaty-junit.xml'))).toBe(true)

    // The package READMEs' examples: @treaty/cli's commands in both repositories, @treaty/core's consumer test.
    const cliExample = await docBlock('packages/cli/README.md', 'cli-example')
    let repo = project
    for (const line of cliExample.split('\n').map((l) => l.trim())) {
      if (line.startsWith("# in the consumer's")) repo = worker
      else if (line.startsWith("# in the provider's")) repo = api
      if (!line.startsWith('npx ')) continue
      const result = await sh(line, { cwd: repo, env: github(repo === worker ? 'w4' : 'a4') })
      expect(result.code, `${line}\n${result.stdout}${result.stderr}`).toBe(0)
    }
    expect(repo).toBe(api)
    const coreExample = await repository(project, 'core-readme')
    await writeFile(join(coreExample, 'pdf-request.contract.test.ts'), await docBlock('packages/core/README.md', 'core-example'))
    const coreTest = await sh('npx vitest run', { cwd: coreExample })
    expect(coreTest.code, coreTest.stdout + coreTest.stderr).toBe(0)
    expect(existsSync(join(coreExample, 'contracts/pdf-worker--pdf-api.json'))).toBe(true)

    // The gate: a consumer version that needs a field pdf-api does not send is refused: pdf-api a4 runs in production.
    const file = join(worker, 'contracts/pdf-worker--pdf-api.json')
    const next = JSON.parse(await readFile(file, 'utf8'))
    const payload = next.expectations[0].payload
    payload.schema.properties.priority = { type: 'integer' }
    payload.schema.required.push('priority')
    payload.example.priority = 1
    await writeFile(file, JSON.stringify(next))
    const env = github('w3')
    expect((await sh('npx @treaty/cli publish contracts', { cwd: worker, env })).code).toBe(0)
    const refused = await sh('npx @treaty/cli can-i-deploy --service pdf-worker --app-version w3 --to production', { cwd: worker, env })
    expect(refused.code, refused.stdout + refused.stderr).toBe(1)
    expect(refused.stdout).toContain('pdf-api a4')
  }, 900_000)

  /** Runs every job of a CI file in order, every step a pipeline would, expects each to pass; returns their output. */
  async function runJobs(file: string, cwd: string, env: Record<string, string>): Promise<string> {
    const jobs = await ciJobs(file)
    expect(jobs.length, file).toBeGreaterThan(1)
    let output = ''
    for (const job of jobs) {
      for (const step of job.steps) {
        // Installing is what this test did with the tarballs; deploying is the user's own script.
        if (/^npm ci\b/.test(step) || step.startsWith('./deploy.sh')) continue
        expect(step, `${file} ${job.name}: only npx runs here`).toMatch(/^npx (vitest|@treaty\/cli) /)
        const result = await sh(step, { cwd, env })
        expect(result.code, `${file} ${job.name}: ${step}\n${result.stdout}${result.stderr}`).toBe(0)
        output += result.stdout
      }
    }
    return output
  }
})

/** A repository of its own (package.json, node_modules) inside the project: npx and vitest treat it as their root. */
async function repository(project: string, name: string): Promise<string> {
  const dir = join(project, name)
  await mkdir(join(dir, 'src'), { recursive: true })
  await writeFile(join(dir, 'package.json'), `${JSON.stringify({ name, private: true, type: 'module' }, null, 2)}\n`)
  await symlink(join(project, 'node_modules'), join(dir, 'node_modules'))
  return dir
}

function lastLine(block: string): string {
  return block.trim().split('\n').pop()!
}

/** `A=1 B=2 npx …` → `npx …`: the test passes those variables itself. */
function withoutEnv(line: string): string {
  return line.replace(/^(?:[A-Z_]+=\S+\s+)+/, '')
}

/** Every public entry point type-checks in the user's project, with TypeScript's node16 and bundler resolution. */
async function typecheck(project: string): Promise<void> {
  const imports = ['@treaty/core', '@treaty/core/vitest', '@treaty/core/client', '@treaty/core/codegen', '@treaty/cli', '@treaty/broker']
  await writeFile(
    join(project, 'entry.ts'),
    `${imports.map((specifier, i) => `import * as m${i} from '${specifier}'`).join('\n')}\nexport const all = [${imports.map((_, i) => `m${i}`).join(', ')}]\n`,
  )
  for (const [module, moduleResolution] of [
    ['node16', 'node16'],
    ['esnext', 'bundler'],
  ]) {
    const config = {
      compilerOptions: { module, moduleResolution, target: 'es2022', strict: true, noEmit: true, skipLibCheck: true, types: [] },
      files: ['entry.ts'],
    }
    await writeFile(join(project, 'tsconfig.json'), JSON.stringify(config))
    const tsc = await run(join(repoRoot, 'node_modules/.bin/tsc'), ['-p', 'tsconfig.json'], { cwd: project })
    expect(tsc.code, `moduleResolution ${moduleResolution}:\n${tsc.stdout}${tsc.stderr}`).toBe(0)
  }
}
