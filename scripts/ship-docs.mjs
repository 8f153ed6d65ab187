// Run by a package's `prepack`: copies the repository's docs/ into the package, so the hints that name
// docs/… point at files a user of the installed package can open (node_modules/@treaty/<pkg>/docs/…).
import { cpSync, rmSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'

const source = join(dirname(dirname(fileURLToPath(import.meta.url))), 'docs')
const target = resolve('docs')
rmSync(target, { recursive: true, force: true })
cpSync(source, target, { recursive: true })
