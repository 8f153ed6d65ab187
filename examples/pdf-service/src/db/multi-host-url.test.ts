import { expect, test } from 'vitest'
import { isConnectionLost } from './failover-pool.js'
import { parseMultiHostUrl, redact } from './multi-host-url.js'

test('reads a libpq multi-host URL with target_session_attrs', () => {
  expect(parseMultiHostUrl('postgresql://pdf:s%40cret@127.0.0.1:5433,127.0.0.1:5434/pdf?target_session_attrs=read-write')).toEqual({
    hosts: [
      { host: '127.0.0.1', port: 5433 },
      { host: '127.0.0.1', port: 5434 },
    ],
    user: 'pdf',
    password: 's@cret',
    database: 'pdf',
    targetSessionAttrs: 'read-write',
  })
  expect(parseMultiHostUrl('postgres://db.local/app')).toMatchObject({
    hosts: [{ host: 'db.local', port: 5432 }],
    user: 'postgres',
    targetSessionAttrs: 'any',
  })
})

test('rejects what it cannot honour, without printing the password', () => {
  expect(() => parseMultiHostUrl('mysql://x')).toThrow(/not a postgresql:\/\/ URL/)
  expect(() => parseMultiHostUrl('postgresql://a@h:1/d?target_session_attrs=prefer-standby')).toThrow(/not supported/)
  expect(redact('postgresql://pdf:secret@h:1/d')).toBe('postgresql://pdf:***@h:1/d')
})

test('tells a lost connection from a wrong statement', () => {
  expect(isConnectionLost(Object.assign(new Error('x'), { code: 'ECONNREFUSED' }))).toBe(true)
  expect(isConnectionLost(Object.assign(new Error('cannot execute INSERT in a read-only transaction'), { code: '25006' }))).toBe(true)
  expect(isConnectionLost(new Error('Connection terminated unexpectedly'))).toBe(true)
  expect(isConnectionLost(Object.assign(new Error('duplicate key'), { code: '23505' }))).toBe(false)
})
