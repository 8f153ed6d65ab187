/** Imports a user module: TypeScript through jiti (loaded only then), JavaScript natively. */
import { access } from 'node:fs/promises'
import { resolve } from 'node:path'
import { pathToFileURL } from 'node:url'
import { CliError } from '../exit-codes.js'

export async function loadModule(path: string, cwd: string, what: string): Promise<Record<string, unknown>> {
  const file = resolve(cwd, path)
  try {
    await access(file)
  } catch {
    throw new CliError(`${what} module ${path} not found`, `check --${what} or the "${what}" entry of treaty.config (resolved to ${file})`)
  }
  try {
    return await importModule(file)
  } catch (cause) {
    throw new CliError(
      `cannot load ${what} module ${path}: ${(cause as Error).message.split('\n')[0]}`,
      'fix the module so it imports cleanly',
      { cause },
    )
  }
}

/** A module's namespace: TypeScript through jiti (imported only then), JavaScript by Node itself. */
export async function importModule(file: string): Promise<Record<string, unknown>> {
  if (/\.[mc]?ts$/.test(file)) {
    const { createJiti } = await import('jiti')
    return (await createJiti(import.meta.url).import(file)) as Record<string, unknown>
  }
  return (await import(pathToFileURL(file).href)) as Record<string, unknown>
}
