// @treaty/core/codegen: TypeScript types from contracts. A subpath of its own: its dependencies
// (json-schema-to-typescript, prettier) are only loaded by the tools that generate code.
export { type GeneratedModule, generateModule, typeName } from './generate.js'
