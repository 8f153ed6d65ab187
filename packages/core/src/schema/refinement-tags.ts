/**
 * The JSDoc refinement tags (`@integer`, `@minimum 1`, `@format uuid`, …): what TypeScript cannot say about
 * a value, said in a doc comment. codegen writes them into the types it generates and `treaty verify --static`
 * (analysis/jsdoc-refinements.ts) reads them back, so both take the list from here. Plain data: codegen
 * must not load ts-morph to know it.
 */

/** The JSON type a tag constrains: its keyword has no effect on values of other types. */
export type TagKind = 'string' | 'number' | 'array'
export type ValueSyntax = 'none' | 'flag' | 'number' | 'count' | 'positive' | 'format' | 'pattern'

export interface TagSpec {
  kind: TagKind
  keyword: string
  value: ValueSyntax
}

/** Every refinement tag, by name (the README's table lists the same). */
export const REFINEMENT_TAGS: ReadonlyMap<string, TagSpec> = new Map([
  ['format', { kind: 'string', keyword: 'format', value: 'format' }],
  ['pattern', { kind: 'string', keyword: 'pattern', value: 'pattern' }],
  ['minLength', { kind: 'string', keyword: 'minLength', value: 'count' }],
  ['maxLength', { kind: 'string', keyword: 'maxLength', value: 'count' }],
  ['integer', { kind: 'number', keyword: 'type', value: 'none' }],
  ['minimum', { kind: 'number', keyword: 'minimum', value: 'number' }],
  ['maximum', { kind: 'number', keyword: 'maximum', value: 'number' }],
  ['exclusiveMinimum', { kind: 'number', keyword: 'exclusiveMinimum', value: 'number' }],
  ['exclusiveMaximum', { kind: 'number', keyword: 'exclusiveMaximum', value: 'number' }],
  ['multipleOf', { kind: 'number', keyword: 'multipleOf', value: 'positive' }],
  ['minItems', { kind: 'array', keyword: 'minItems', value: 'count' }],
  ['maxItems', { kind: 'array', keyword: 'maxItems', value: 'count' }],
  ['uniqueItems', { kind: 'array', keyword: 'uniqueItems', value: 'flag' }],
] satisfies [string, TagSpec][])
