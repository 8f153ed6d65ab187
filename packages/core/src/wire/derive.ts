/**
 * TypeScript types derived from the wire schemas (json-schema-to-ts, types only: nothing of it runs). A
 * schema is read from four sides, so no side needs a hand-written twin of it:
 * - `Sent`: what a client sends (defaulted properties optional),
 * - `Received`: what a route handler gets after validation (defaults applied; documents still unparsed),
 * - `Served`: what a route handler may return (dates as `Date`, serialised to ISO strings by the response schema),
 * - `Answer`: what a client reads back (dates as ISO strings).
 */
import type { FromSchema, JSONSchema } from 'json-schema-to-ts'
import type { Contract } from '../contract/types.js'
import type { JsonSchema } from '../json/types.js'

/** Marks the schema of a contract document (see common.ts), so derived types say `Contract`. */
export const CONTRACT_DOCUMENT = 'A contract document in the @treaty/core format (canonical form)'
/** Marks the schema of an embedded JSON Schema (a provider schema's payload or headers). */
export const JSON_SCHEMA_DOCUMENT = 'a JSON Schema 2020-12'

type Documents = [
  { pattern: { description: typeof CONTRACT_DOCUMENT }; output: Contract },
  { pattern: { description: typeof JSON_SCHEMA_DOCUMENT }; output: JsonSchema },
]

export type Sent<S extends JSONSchema> = FromSchema<S, { keepDefaultedPropertiesOptional: true; deserialize: Documents }>
export type Received<S extends JSONSchema> = FromSchema<
  S,
  { deserialize: [{ pattern: { description: typeof JSON_SCHEMA_DOCUMENT }; output: JsonSchema }] }
>
export type Served<S extends JSONSchema> = FromSchema<
  S,
  { deserialize: [{ pattern: { type: 'string'; format: 'date-time' }; output: Date | string }, ...Documents] }
>
export type Answer<S extends JSONSchema> = FromSchema<S, { deserialize: Documents }>
