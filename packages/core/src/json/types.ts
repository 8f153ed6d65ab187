/** The shapes of JSON itself, shared by every folder of @treaty/core and by the packages on it. */

/** Any value JSON can carry. */
export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue }

/** A JSON object (the shape of a message payload, a header map, a document). */
export type JsonObject = { [key: string]: JsonValue }

/** A JSON Schema (2020-12 unless it declares an older `$schema`): an object of keywords, or `true`/`false`. */
export type JsonSchema = { [keyword: string]: unknown } | boolean
