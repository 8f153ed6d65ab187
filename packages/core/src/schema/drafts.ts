/**
 * Which JSON Schema draft a schema is written in, and the ajv instance that validates that draft with
 * its own semantics (tuple `items`, `dependencies`, boolean `exclusiveMinimum`, …). engine.ts dispatches
 * here by `$schema`; 2020-12 (and a schema without `$schema`) stays on engine.ts's own instance.
 * Instances are created on first use: most processes only ever see 2020-12.
 */
import type { Ajv as AjvCore, Options } from 'ajv'
import type { JsonSchema } from '../json/types.js'
import { ajvModules } from './ajv-modules.js'
import { addFormats } from './formats.js'
import { linearRegExpEngine } from './regex.js'

export const DRAFTS = ['draft-04', 'draft-06', 'draft-07', '2019-09', '2020-12'] as const
export type Draft = (typeof DRAFTS)[number]

/** The `$schema` URI each draft's meta-schema is published under (what a schema of that draft declares). */
export const DRAFT_URIS: Record<Draft, string> = {
  'draft-04': 'http://json-schema.org/draft-04/schema#',
  'draft-06': 'http://json-schema.org/draft-06/schema#',
  'draft-07': 'http://json-schema.org/draft-07/schema#',
  '2019-09': 'https://json-schema.org/draft/2019-09/schema',
  '2020-12': 'https://json-schema.org/draft/2020-12/schema',
}

/**
 * The draft a `$schema` value names, or undefined when it names none of them. http/https, a trailing
 * `#` and a trailing slash are all seen in the wild for the same draft.
 */
export function draftOfUri(uri: string): Draft | undefined {
  const m = /^https?:\/\/json-schema\.org\/(?:(draft-0[467])|draft\/(2019-09|2020-12))\/schema\/?#?$/.exec(uri.trim())
  return (m?.[1] ?? m?.[2]) as Draft | undefined
}

/** The draft of a schema document: its `$schema`, or `fallback` (2020-12 inside a contract) when it has none. */
export function draftOf(schema: JsonSchema, fallback: Draft = '2020-12'): Draft | 'unknown' {
  if (typeof schema !== 'object' || typeof schema.$schema !== 'string') return fallback
  return draftOfUri(schema.$schema) ?? 'unknown'
}

/**
 * The options of every ajv instance of the engine, whatever the draft (engine.ts adds its own for 2020-12).
 * strict off: contracts from other tools may carry annotations (x-*, examples) ajv does not know.
 * logger off: ajv would print "unknown format … ignored" to the console of whoever validates.
 * ownProperties: a message is JSON, so `constructor` or `toString` are only present when sent.
 * code.regExp: patterns come from other teams' contracts; RE2 matches in linear time (see regex.ts).
 */
export const AJV_OPTIONS: Options = {
  allErrors: true,
  strict: false,
  validateFormats: true,
  logger: false,
  ownProperties: true,
  code: { regExp: linearRegExpEngine },
}
const instances = new Map<Draft, AjvCore>()

/** The draft classes come from ajv-modules.ts (the build's bundle, first use only), as the 2020-12 engine's do. */
function create(draft: Exclude<Draft, '2020-12'>): AjvCore {
  const { Ajv, Ajv2019, Ajv04, draft06MetaSchema } = ajvModules()
  switch (draft) {
    case 'draft-04':
      return new Ajv04(AJV_OPTIONS)
    case 'draft-06': {
      const ajv = new Ajv(AJV_OPTIONS)
      ajv.addMetaSchema(draft06MetaSchema)
      return ajv
    }
    case 'draft-07':
      return new Ajv(AJV_OPTIONS)
    case '2019-09':
      return new Ajv2019(AJV_OPTIONS)
  }
}

/**
 * The ajv instance for a schema of an older draft; undefined for 2020-12 and for a schema without
 * `$schema`, which engine.ts validates itself. An unknown `$schema` also returns undefined, so ajv
 * reports it (as an unknown meta-schema) where it reports every other invalid schema.
 */
export function draftAjv(schema: unknown): AjvCore | undefined {
  const draft = olderDraftOf(schema)
  if (draft === undefined) return undefined
  let ajv = instances.get(draft)
  if (!ajv) {
    ajv = createDraftAjv(draft)
    instances.set(draft, ajv)
  }
  return ajv
}

export type OlderDraft = Exclude<Draft, '2020-12'>

/** The older draft a schema declares in `$schema`; undefined for 2020-12, none, or an unknown one. */
export function olderDraftOf(schema: unknown): OlderDraft | undefined {
  if (schema === null || typeof schema !== 'object' || Array.isArray(schema)) return undefined
  const uri = (schema as { $schema?: unknown }).$schema
  if (typeof uri !== 'string') return undefined
  const draft = draftOfUri(uri)
  return draft === undefined || draft === '2020-12' ? undefined : draft
}

/** A fresh ajv instance for `draft`, with formats (engine.ts keeps bounded generations of them). */
export function createDraftAjv(draft: OlderDraft): AjvCore {
  const ajv = create(draft)
  addFormats(ajv, ajvModules().addFormats)
  return ajv
}
