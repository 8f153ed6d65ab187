/**
 * Parsing AsyncAPI documents with `@asyncapi/parser` (the reference parser: 2.x and 3.x, YAML or JSON,
 * `$ref`s across files resolved from the document's own path). The parser is an optional peer
 * dependency: it is loaded here, on first use, and its absence is reported with the install command.
 */
import { readFile } from 'node:fs/promises'
import { resolve } from 'node:path'
import type { AsyncAPIDocumentInterface, Parser } from '@asyncapi/parser'
import { ErrorCodes, TreatyError } from '../errors.js'
import { importOptional } from '../optional-dependency.js'
import { ownManifest } from '../own-package.js'

type ParserClass = new () => Parser
let parser: Promise<Parser> | undefined

async function loadParser(): Promise<Parser> {
  const mod = (await importOptional(
    { name: '@asyncapi/parser', feature: 'reading AsyncAPI documents', manifest: ownManifest() },
    () => import('@asyncapi/parser'),
  )) as unknown as { Parser?: ParserClass; default?: { Parser: ParserClass } }
  // CommonJS under NodeNext: the named export may sit on the default export.
  const Class = mod.Parser ?? mod.default?.Parser
  if (!Class)
    throw new TreatyError(ErrorCodes.DEPENDENCY_MISSING, '@asyncapi/parser exports no Parser', {
      hint: 'npm install --save-dev @asyncapi/parser@3',
    })
  return new Class()
}

function getParser(): Promise<Parser> {
  parser ??= loadParser()
  return parser
}

export interface ParsedAsyncApi {
  document: AsyncAPIDocumentInterface
  /** The document's major version: 2 or 3. */
  major: 2 | 3
}

/**
 * Parses and validates the document at `text` (as read from `source`, which relative `$ref`s resolve
 * against). Throws TREATY_INTEROP_DOCUMENT_INVALID with the parser's first error and its path.
 */
export async function parseAsyncApi(text: string, source: string): Promise<ParsedAsyncApi> {
  const p = await getParser()
  const { document, diagnostics } = await p.parse(text, { source: resolve(source) })
  // Severity 0 is an error in the parser's (Spectral's) scale; warnings and hints do not stop an import.
  const errors = diagnostics.filter((d) => d.severity === 0)
  if (!document || errors.length > 0) {
    const first = errors[0]
    const path = first ? first.path.join('.') : ''
    throw new TreatyError(
      ErrorCodes.INTEROP_DOCUMENT_INVALID,
      `${source}: not a valid AsyncAPI document${path ? ` at ${path}` : ''}: ${first?.message ?? 'the parser returned no document'}`,
      { path, hint: 'fix the document (npx @asyncapi/cli validate <file> shows every problem)', details: { errors: errors.length } },
    )
  }
  const major = document.version().startsWith('2.') ? 2 : 3
  return { document, major }
}

/** Reads and parses an AsyncAPI file (YAML or JSON). */
export async function parseAsyncApiFile(file: string): Promise<ParsedAsyncApi> {
  let text: string
  try {
    text = await readFile(file, 'utf8')
  } catch (cause) {
    throw new TreatyError(ErrorCodes.INTEROP_DOCUMENT_INVALID, `${file}: cannot read (${(cause as NodeJS.ErrnoException).code})`, {
      cause,
      hint: 'check the path to the AsyncAPI document',
    })
  }
  return parseAsyncApi(text, file)
}
