/**
 * `treaty compat`: does a schema change break the readers of older or newer messages? Compares message
 * schemas (raw JSON Schema files, or contracts: each expectation's payload and headers, matched by
 * description) over a version history, with schema-registry modes (backward = the new reader reads
 * data written with the previous schema).
 */
import { readFile } from 'node:fs/promises'
import { resolve } from 'node:path'
import {
  assertValidSchema,
  type Contract,
  checkEvolution,
  EVOLUTION_MODES,
  type EvolutionMode,
  isEvolutionMode,
  type JsonSchema,
  parseContract,
  rootDifferences,
} from '@treaty/core'
import { CliError } from '../exit-codes.js'

export interface CompatOptions {
  /** Files oldest first: contracts or raw JSON Schemas (all of one kind). */
  files: string[]
  mode: EvolutionMode
  cwd?: string | undefined
}

export interface CompatSubject {
  /** `payload`, or `"<description>" payload|headers` for contracts. */
  subject: string
  compatible: boolean
  differences: { writer: string; reader: string; direction: 'backward' | 'forward'; pointer: string; kind: string; message: string }[]
}

export interface CompatResult {
  mode: EvolutionMode
  compatible: boolean
  subjects: CompatSubject[]
  /** Expectations present in some versions only (not a compatibility question: said, not judged). */
  notes: string[]
}

type Loaded = { file: string; contract: Contract } | { file: string; schema: JsonSchema }

export async function compat(options: CompatOptions): Promise<CompatResult> {
  const cwd = options.cwd ?? process.cwd()
  if (!isEvolutionMode(options.mode)) {
    throw new CliError(`--mode ${String(options.mode)} is not a compatibility mode`, `use one of ${EVOLUTION_MODES.join(', ')}`)
  }
  if (options.files.length < 2)
    throw new CliError('compat needs at least two files, oldest first', 'treaty compat old.json new.json [--mode backward]')
  const loaded = await Promise.all(options.files.map((f) => load(resolve(cwd, f), f)))
  const contracts = loaded.filter((l): l is Extract<Loaded, { contract: Contract }> => 'contract' in l)
  if (contracts.length > 0 && contracts.length < loaded.length) {
    throw new CliError('compat compares files of one kind: all contracts or all JSON Schemas', 'pass two contracts, or two schemas')
  }
  const histories = new Map<string, { versions: string[]; schemas: JsonSchema[] }>()
  const notes: string[] = []
  if (contracts.length === 0) {
    histories.set('payload', { versions: loaded.map((l) => l.file), schemas: loaded.map((l) => (l as { schema: JsonSchema }).schema) })
  } else {
    const newest = contracts[contracts.length - 1]!
    for (const e of newest.contract.expectations) {
      for (const part of ['payload', 'headers'] as const) {
        const versions: string[] = []
        const schemas: JsonSchema[] = []
        for (const c of contracts) {
          const match = c.contract.expectations.find((x) => x.description === e.description)
          if (!match) continue
          versions.push(c.file)
          schemas.push(match[part]?.schema ?? (part === 'headers' ? {} : true))
        }
        if (part === 'payload' && versions.length === 1) notes.push(`"${e.description}" is new in ${newest.file}`)
        histories.set(`"${e.description}" ${part}`, { versions, schemas })
      }
    }
    for (const c of contracts.slice(0, -1)) {
      for (const e of c.contract.expectations) {
        if (!newest.contract.expectations.some((x) => x.description === e.description))
          notes.push(`"${e.description}" of ${c.file} is gone from ${newest.file}`)
      }
    }
  }
  const subjects: CompatSubject[] = []
  for (const [subject, { versions, schemas }] of histories) {
    const result = checkEvolution(schemas, options.mode)
    subjects.push({
      subject,
      compatible: result.compatible,
      // Root causes only: a renamed field is one difference naming both names, not one per keyword.
      differences: result.checks.flatMap((check) =>
        rootDifferences(check.differences, { writer: schemas[check.writer]!, reader: schemas[check.reader]! }).map((d) => ({
          writer: versions[check.writer] ?? String(check.writer),
          reader: versions[check.reader] ?? String(check.reader),
          direction: check.direction,
          ...d,
        })),
      ),
    })
  }
  return { mode: options.mode, compatible: subjects.every((s) => s.compatible), subjects, notes: [...new Set(notes)] }
}

async function load(path: string, file: string): Promise<Loaded> {
  let json: unknown
  try {
    json = JSON.parse(await readFile(path, 'utf8'))
  } catch (cause) {
    throw new CliError(
      `${file}: cannot read JSON (${(cause as NodeJS.ErrnoException).code ?? (cause as Error).message})`,
      'pass contract files or JSON Schema files',
      { cause },
    )
  }
  if (json !== null && typeof json === 'object' && 'treaty' in json && 'expectations' in json)
    return { file, contract: parseContract(json, file) }
  assertValidSchema(json, file)
  return { file, schema: json }
}
