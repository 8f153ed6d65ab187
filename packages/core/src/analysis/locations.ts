/** Where things are in the provider's source, for reports and diagnostics. */
import type { ts } from 'ts-morph'
import type { SourceLocation } from './types.js'

/** 1-based line and column of the start of `node` (leading trivia skipped). */
export function locate(node: ts.Node): SourceLocation {
  const sourceFile = node.getSourceFile()
  const { line, character } = sourceFile.getLineAndCharacterOfPosition(node.getStart(sourceFile))
  return { file: sourceFile.fileName, line: line + 1, column: character + 1 }
}

/** True for declarations in the provider's own code (not in TypeScript's lib files or node_modules). */
export function isUserCode(program: ts.Program, node: ts.Node): boolean {
  const sourceFile = node.getSourceFile()
  return (
    !program.isSourceFileDefaultLibrary(sourceFile) &&
    !program.isSourceFileFromExternalLibrary(sourceFile) &&
    !sourceFile.fileName.includes('/node_modules/')
  )
}

/** `payload.lines[].sku`, with keys that are not identifiers quoted: `headers["x-id"]`. */
export function childPath(parent: string, key: string): string {
  return /^[A-Za-z_$][\w$]*$/.test(key) ? `${parent}.${key}` : `${parent}[${JSON.stringify(key)}]`
}
