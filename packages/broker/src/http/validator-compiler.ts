/**
 * Route schema validation with fastify's own ajv options, except that request bodies are never coerced.
 * Coercion is right for a query string (every value arrives as text) and wrong for JSON: it turned
 * `service: ["x"]` into "x", `success: "false"` into a failed verification and `consumer: 123` into "123",
 * so a client bug was stored as a different fact. A body of the wrong type is a 400 naming the field.
 */
import { Ajv, type ErrorObject, type Options } from 'ajv'
import ajvFormats from 'ajv-formats'
import type { FastifySchemaCompiler } from 'fastify'

// ajv-formats is CommonJS: under NodeNext its default import is `module.exports`, the plugin is `.default`.
const addFormats = ajvFormats.default

// As @fastify/ajv-compiler's defaults, but unknown fields are refused instead of dropped (a typo like
// `overwite` must not be ignored) and `verbose` keeps the offending value for the error message.
// strictNumbers: `?versions=1e309` coerces to Infinity, which ajv otherwise counts as an integer.
const COMMON: Options = {
  useDefaults: true,
  removeAdditional: false,
  addUsedSchema: false,
  allErrors: false,
  verbose: true,
  strictNumbers: true,
}

function create(coerceTypes: Options['coerceTypes']): Ajv {
  const ajv = new Ajv({ ...COMMON, coerceTypes })
  addFormats(ajv)
  return ajv
}

export function routeValidatorCompiler(): FastifySchemaCompiler<unknown> {
  const forBody = create(false)
  const forText = create('array')
  return ({ schema, httpPart }) => {
    if (httpPart === 'body') return forBody.compile(schema as object)
    const validate = forText.compile(schema as object)
    // ajv coerces "1e309" to Infinity and lets it through `integer` and `maximum`; a LIMIT of Infinity follows.
    const checked = Object.assign(
      (data: unknown): boolean => {
        checked.errors = null
        if (!validate(data)) {
          checked.errors = validate.errors ?? null
          return false
        }
        const bad = Object.entries((data ?? {}) as Record<string, unknown>).find(([, v]) => typeof v === 'number' && !Number.isFinite(v))
        if (!bad) return true
        checked.errors = [
          { keyword: 'type', instancePath: `/${bad[0]}`, schemaPath: '#', params: { type: 'number' }, message: 'must be a finite number' },
        ]
        return false
      },
      { errors: null as ErrorObject[] | null },
    )
    return checked
  }
}
