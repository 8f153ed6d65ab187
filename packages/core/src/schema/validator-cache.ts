/**
 * Compiled validators, bounded. ajv keeps every schema it ever compiled (its own cache, plus the functions
 * and patterns in its code scope) and `removeSchema` frees only part of that, so a long-running process that
 * sees endless distinct schemas (a broker) grew without limit however small its own map was. Here ajv
 * instances are generations: each compiles at most `max` schemas, then a fresh one takes over. The LRU holds
 * at most `max` validators; once none of an old generation's validators is left in it, nothing references
 * that ajv instance and the garbage collector takes it whole. Memory is bounded by about two generations.
 */
import type { ValidateFunction } from 'ajv'

/** What the cache needs of an ajv instance, whatever its draft. */
export interface Compiler {
  compile(schema: object | boolean): ValidateFunction
}

export class ValidatorCache {
  readonly #create: () => Compiler
  readonly #max: number
  readonly #lru = new Map<string, ValidateFunction>()
  #current: Compiler | undefined
  #compiledByCurrent = 0

  constructor(create: () => Compiler, max: number) {
    this.#create = create
    this.#max = max
  }

  get size(): number {
    return this.#lru.size
  }

  /**
   * The validator for the schema with content hash `key`, compiling `schema` when it is not cached;
   * `beforeCompile` (a validity check, say) runs only then.
   */
  get(key: string, schema: unknown, beforeCompile?: () => void): ValidateFunction {
    const known = this.#lru.get(key)
    if (known) {
      this.#lru.delete(key)
      this.#lru.set(key, known)
      return known
    }
    beforeCompile?.()
    if (this.#current === undefined || this.#compiledByCurrent >= this.#max) {
      this.#current = this.#create()
      this.#compiledByCurrent = 0
    }
    this.#compiledByCurrent++
    const validate = this.#current.compile(schema as object | boolean)
    if (this.#lru.size >= this.#max) this.#lru.delete(this.#lru.keys().next().value as string)
    this.#lru.set(key, validate)
    return validate
  }
}
