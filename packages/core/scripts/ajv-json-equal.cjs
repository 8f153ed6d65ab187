// Build input of scripts/bundle-ajv.mjs, which puts it in place of fast-deep-equal, ajv's deep equality for
// `const`, `enum` and `uniqueItems`. fast-deep-equal compares two objects through their own `valueOf` or
// `toString` when they have one, so a JSON message with a member named `valueOf` ({"valueOf": 1}) made every
// validator that compares objects throw (a verification ended in an internal error, an observer's callback threw).
// Plain objects and arrays (what JSON.parse gives) are compared by their own keys and items here, calling nothing
// of theirs; anything else (a Date, a RegExp, a Map) is left to fast-deep-equal, as before.
'use strict'
// Resolved by scripts/bundle-ajv.mjs to ajv's own fast-deep-equal.
const original = require('fast-deep-equal:original')

function plain(value) {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return false
  const proto = Object.getPrototypeOf(value)
  return proto === Object.prototype || proto === null
}

module.exports = function equal(a, b) {
  if (a === b) return true
  if (Array.isArray(a) && Array.isArray(b)) {
    if (a.length !== b.length) return false
    for (let i = 0; i < a.length; i++) if (!equal(a[i], b[i])) return false
    return true
  }
  if (plain(a) && plain(b)) {
    const keys = Object.keys(a)
    if (keys.length !== Object.keys(b).length) return false
    for (const key of keys) if (!Object.hasOwn(b, key) || !equal(a[key], b[key])) return false
    return true
  }
  if (Array.isArray(a) || Array.isArray(b) || plain(a) || plain(b)) return false
  return original(a, b)
}
