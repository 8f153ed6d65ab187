import { isAscii } from 'node:buffer'
import { closeSync, fstatSync, openSync, readdirSync, readSync, renameSync, writeFileSync } from 'node:fs'
import { mkdir, rename, writeFile } from 'node:fs/promises'
import { basename, join } from 'node:path'
import { ErrorCodes, TreatyError } from '../errors.js'
import { pointerToPath, resolvePointer } from '../json/pointer.js'
import { preview } from '../json/preview.js'
import { sameValue, valueHash } from '../json/same-value.js'
import type { JsonSchema } from '../json/types.js'
import { assertValidSchema, type PrecompiledValidator, toIssues, type ValidationIssue } from '../schema/engine.js'
import { issuesOf } from '../schema/interpret.js'
import { canonicalContract } from './canonical.js'
import { isServiceName, SERVICE_NAME_RULE } from './contract-schema.js'
import { contractFormatValidator } from './format-validator.generated.js'
import { CONTRACT_FORMAT_VERSION, type Contract } from './types.js'

/** Service names become file names and URL segments: letters, digits, `.`, `_`, `-`; no path tricks. */
export function assertServiceName(name: unknown, field: string): asserts name is string {
  if (!isServiceName(name)) {
    throw new TreatyError(ErrorCodes.NAME_INVALID, `${field} ${JSON.stringify(name)} is not a valid service name`, {
      path: field,
      hint: `use ${SERVICE_NAME_RULE}`,
    })
  }
}

/**
 * Checks an untrusted value against the contract format and returns it typed. Every error names the
 * JSON path of the field (`expectations[1].payload.schema.type`) and, where it can, the fix.
 * `source` (a file name) is prefixed to messages.
 */
export function parseContract(value: unknown, source?: string): Contract {
  const steps = parseSteps(value, source)
  for (;;) {
    const step = steps.next()
    if (step.done) return step.value
  }
}

/**
 * parseContract for a server: the same checks, giving the event loop a turn after each expectation, so one
 * contract of a thousand expectations (each schema compiled) does not hold up every other request.
 */
export async function parseContractAsync(value: unknown, source?: string): Promise<Contract> {
  const steps = parseSteps(value, source)
  for (;;) {
    const step = steps.next()
    if (step.done) return step.value
    await new Promise<void>((resolve) => setImmediate(resolve))
  }
}

/** The checks of parseContract, pausing (`yield`) after each expectation. */
function* parseSteps(value: unknown, source?: string): Generator<void, Contract> {
  const where = source ? `${source}: ` : ''
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new TreatyError(ErrorCodes.CONTRACT_INVALID, `${where}a contract must be a JSON object`, { path: '(root)' })
  }
  const version = (value as { treaty?: unknown }).treaty
  if (typeof version === 'string' && /^\d+$/.test(version) && Number(version) > Number(CONTRACT_FORMAT_VERSION)) {
    throw new TreatyError(
      ErrorCodes.CONTRACT_VERSION_UNSUPPORTED,
      `${where}contract format version ${version} is newer than this library reads (${CONTRACT_FORMAT_VERSION})`,
      { path: 'treaty', hint: 'upgrade @treaty/core' },
    )
  }
  // Precompiled from contractSchema (a test keeps them in step): no ajv compile to read a contract.
  const check = contractFormatValidator() as PrecompiledValidator
  const issues = check(value) ? [] : toIssues(check.errors ?? [])
  const first = issues[0]
  if (first) {
    const path = pointerToPath(first.pointer)
    const found =
      first.keyword === 'required' || first.keyword === 'additionalProperties'
        ? ''
        : ` (found ${preview(resolvePointer(value, first.pointer))})`
    throw new TreatyError(ErrorCodes.CONTRACT_INVALID, `${where}${path}: expected ${first.expected}${found}`, {
      path,
      hint: 'see docs/contract-format.md for the contract format (in the Treaty repository, and in node_modules/@treaty/core)',
      details: { issues },
    })
  }
  const contract = value as Contract
  const seen = new Set<string>()
  for (const [i, e] of contract.expectations.entries()) {
    if (i > 0) yield
    if (seen.has(e.description)) {
      throw new TreatyError(
        ErrorCodes.EXPECTATION_DUPLICATE,
        `${where}expectations[${i}].description ${JSON.stringify(e.description)} appears more than once`,
        { path: `expectations[${i}].description`, hint: 'descriptions must be unique within a contract' },
      )
    }
    seen.add(e.description)
    for (const part of ['headers', 'payload'] as const) {
      const m = e[part]
      if (!m) continue
      const at = `expectations[${i}].${part}`
      // The same content shares one object, so the interpreter's and the engine's caches hit by identity.
      m.schema = checkedSchema(m.schema, `${where}`, `${at}.schema`)
      let bad: ValidationIssue | undefined
      try {
        bad = issuesOf(m.schema, m.example)[0]
      } catch (err) {
        // A schema the meta-schema allows that ajv cannot compile (a $ref to nothing, an empty enum).
        throw inContract(err, `${where}${at}.schema: `, `${at}.schema`)
      }
      if (bad) {
        throw new TreatyError(
          ErrorCodes.EXAMPLE_INVALID,
          `${where}${at}.example${bad.pointer ? pointerToPath(bad.pointer).replace(/^(?!\[)/, '.') : ''}: expected ${bad.expected}`,
          { path: `${at}.example`, hint: 'the example must be valid under its own schema' },
        )
      }
    }
  }
  return contract
}

/**
 * Schemas already checked against the meta-schema, found by their content (json/same-value.ts): a contract
 * repeats one schema across many expectations, and a verifier reads the same contracts again and again.
 * Bounded, because a broker reads endless contracts.
 */
const checkedSchemas = new Map<number, JsonSchema[]>()
let checkedCount = 0
const MAX_CHECKED = 5000

function checkedSchema(schema: JsonSchema, where: string, at: string): JsonSchema {
  const hash = contentKey(schema)
  const alike = checkedSchemas.get(hash)
  if (alike) for (const known of alike) if (sameValue(known, schema)) return known
  try {
    assertValidSchema(schema, at)
  } catch (err) {
    throw inContract(err, where)
  }
  if (checkedCount >= MAX_CHECKED) {
    const [oldest, entries] = checkedSchemas.entries().next().value as [number, JsonSchema[]]
    checkedSchemas.delete(oldest)
    checkedCount -= entries.length
  }
  if (alike && checkedSchemas.has(hash)) alike.push(schema)
  else checkedSchemas.set(hash, [schema])
  checkedCount++
  return schema
}

/** `err` (a TreatyError) with `prefix` before its message, at `path` when it names no field itself. */
function inContract(err: unknown, prefix: string, path?: string): unknown {
  if (!(err instanceof TreatyError)) return err
  return new TreatyError(err.code, `${prefix}${err.message}`, { path: err.path ?? path, hint: err.hint, details: err.details, cause: err })
}

/** valueHash, or the error JSON itself gives for a value it cannot write (a cycle), as the JSON text key did. */
function contentKey(schema: JsonSchema): number {
  try {
    return valueHash(schema)
  } catch (error) {
    JSON.stringify(schema)
    throw error
  }
}

/** The file name a contract is stored under: `<consumer>--<provider>.json`. */
export function contractFileName(consumer: string, provider: string): string {
  assertServiceName(consumer, 'consumer')
  assertServiceName(provider, 'provider')
  return `${consumer}--${provider}.json`
}

/**
 * UTF-8 text of a file's bytes. Contracts are almost always ASCII, and decoding ASCII as latin1 gives the
 * same string at memory speed, where Node 20's UTF-8 decoder took about 4 ms per MB (bench/verify).
 */
export function decodeUtf8(bytes: Buffer): string {
  return isAscii(bytes) ? bytes.toString('latin1') : bytes.toString('utf8')
}

const KEEP_BYTES = 16 * 1024 * 1024
let scratch = Buffer.alloc(0)

/**
 * The bytes of the file at `path`, in a buffer kept for the next call: memory touched for the first time costs
 * page faults, about 4 ms per MB on this project's 2-core VM, where reading into a buffer already touched took
 * 0.3 ms for bench/verify's 1.15 MB contract (readFileSync, a fresh buffer each time, took 2-4 ms in most
 * rounds). So reading a provider's ten contracts pays the faults once. The view is valid until the next call:
 * decode it at once. A file larger than KEEP_BYTES is read into a buffer of its own.
 */
function readBytes(path: string): Buffer {
  const fd = openSync(path, 'r')
  try {
    // A byte of room beyond the size: the read that finds the end (0 bytes) then needs no larger buffer.
    let buffer = scratch
    const wanted = fstatSync(fd).size + 1
    if (buffer.length < wanted) {
      buffer = Buffer.allocUnsafeSlow(wanted)
      if (wanted <= KEEP_BYTES) scratch = buffer
    }
    let length = 0
    for (;;) {
      const read = readSync(fd, buffer, length, buffer.length - length, null)
      if (read === 0) return buffer.subarray(0, length)
      length += read
      if (length === buffer.length) {
        const larger = Buffer.allocUnsafeSlow(buffer.length * 2)
        buffer.copy(larger)
        buffer = larger
      }
    }
  } finally {
    closeSync(fd)
  }
}

/** Reads and validates one contract file. */
export async function readContract(path: string): Promise<Contract> {
  return readContractNow(path)
}

/**
 * Contract files are read synchronously. Reading one is a fraction of a millisecond next to the
 * milliseconds of parsing and validating it, which block the event loop anyway; fs/promises' readFile
 * makes five or six thread-pool round trips per file (open, stat, a read per 512 KiB, close): 0.43-0.52 ms
 * of CPU and wall time for bench/verify's 1.15 MB contract, where a synchronous read took 0.12-0.15 ms.
 */
function readContractNow(path: string): Contract {
  let text: string
  try {
    text = decodeUtf8(readBytes(path))
  } catch (cause) {
    throw new TreatyError(
      ErrorCodes.CONTRACT_UNREADABLE,
      `${path}: cannot read contract file (${(cause as NodeJS.ErrnoException).code ?? (cause as Error).message})`,
      {
        cause,
        hint: 'check the path; contract files are written by consumer tests into their `dir`',
      },
    )
  }
  let json: unknown
  try {
    json = JSON.parse(text)
  } catch (cause) {
    throw new TreatyError(ErrorCodes.CONTRACT_UNREADABLE, `${path}: not valid JSON (${(cause as Error).message})`, {
      cause,
      hint: 'the file was edited or truncated; rerun the consumer tests to write it again',
    })
  }
  return parseContract(json, basename(path))
}

/** Reads every `*.json` contract file directly inside `dir`, in file-name order. */
export async function readContracts(dir: string): Promise<Contract[]> {
  return (await readContractFilesIn(dir)).map((f) => f.contract)
}

/** readContracts, with the path each contract was read from. */
export async function readContractFilesIn(dir: string): Promise<{ path: string; contract: Contract }[]> {
  let names: string[]
  try {
    names = readdirSync(dir)
  } catch (cause) {
    throw new TreatyError(
      ErrorCodes.CONTRACT_UNREADABLE,
      `${dir}: cannot read contracts directory (${(cause as NodeJS.ErrnoException).code})`,
      {
        cause,
        hint: 'run the consumer tests first, or point to the directory they write contracts into',
      },
    )
  }
  const files = names.filter((n) => n.endsWith('.json') && !n.startsWith('.')).sort()
  return files.map((n) => ({ path: join(dir, n), contract: readContractNow(join(dir, n)) }))
}

/** Contract as written to disk: canonical key order, two-space indent, trailing newline. */
export function serializeContract(contract: Contract): string {
  return `${JSON.stringify(canonicalContract(contract), null, 2)}\n`
}

/**
 * Writes a contract into `dir` atomically (temp file + rename: a reader never sees half a file).
 * Returns the path written.
 */
export async function writeContract(dir: string, contract: Contract): Promise<string> {
  parseContract(contract)
  await mkdir(dir, { recursive: true })
  const path = join(dir, contractFileName(contract.consumer, contract.provider))
  await atomicWrite(path, serializeContract(contract))
  return path
}

export async function atomicWrite(path: string, text: string): Promise<void> {
  const tmp = tempPathFor(path)
  await writeFile(tmp, text)
  await rename(tmp, path)
}

/** atomicWrite for a caller that holds a lock and must not yield (the recorder's flush). */
export function atomicWriteSync(path: string, text: string): void {
  const tmp = tempPathFor(path)
  writeFileSync(tmp, text)
  renameSync(tmp, path)
}

/** A temporary file beside `path`, unique to this process and call, renamed over `path` when whole. */
function tempPathFor(path: string): string {
  return `${path}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`
}
