/**
 * The shell steps of the tutorial's CI files, in the order the CI system runs them, read the way GitHub
 * Actions and GitLab CI read them (jobs, `needs`, `stages`, `before_script`), so the test runs what a
 * pipeline would and nothing the file does not say.
 */
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { parse } from 'yaml'
import { repoRoot } from './project.js'

export interface CiJob {
  name: string
  steps: string[]
}

interface GithubWorkflow {
  jobs: Record<string, { needs?: string | string[]; steps: { run?: string; uses?: string }[] }>
}

interface GitlabPipeline {
  stages: string[]
  default?: { before_script?: string[] }
  [job: string]: unknown
}

interface GitlabJob {
  stage: string
  before_script?: string[]
  script: string[]
}

const GITLAB_KEYWORDS = new Set([
  'stages',
  'default',
  'variables',
  'include',
  'workflow',
  'image',
  'services',
  'cache',
  'before_script',
  'after_script',
])

export async function ciJobs(file: string): Promise<CiJob[]> {
  const doc = parse(await readFile(join(repoRoot, file), 'utf8')) as GithubWorkflow | GitlabPipeline
  return 'jobs' in doc ? githubJobs(doc as GithubWorkflow) : gitlabJobs(doc as GitlabPipeline)
}

function githubJobs(workflow: GithubWorkflow): CiJob[] {
  const done = new Set<string>()
  return Object.entries(workflow.jobs).map(([name, job]) => {
    const needs = job.needs === undefined ? [] : [job.needs].flat()
    for (const need of needs) if (!done.has(need)) throw new Error(`job ${name} needs ${need}, which is not an earlier job`)
    done.add(name)
    return { name, steps: job.steps.flatMap((step) => (step.run ? [step.run.trim()] : [])) }
  })
}

function gitlabJobs(pipeline: GitlabPipeline): CiJob[] {
  const jobs = Object.entries(pipeline).filter(([name]) => !GITLAB_KEYWORDS.has(name) && !name.startsWith('.')) as [string, GitlabJob][]
  for (const [name, job] of jobs)
    if (!pipeline.stages.includes(job.stage)) throw new Error(`job ${name}: stage ${job.stage} is not in stages`)
  return pipeline.stages.flatMap((stage) =>
    jobs
      .filter(([, job]) => job.stage === stage)
      .map(([name, job]) => ({
        name,
        steps: [...(job.before_script ?? pipeline.default?.before_script ?? []), ...job.script].map((s) => s.trim()),
      })),
  )
}
