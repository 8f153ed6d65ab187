/**
 * libpq-style multi-host connection strings (`postgresql://u@h1:p1,h2:p2/db?target_session_attrs=read-write`).
 * node-postgres connects to one host only, so the failover pool reads the host list itself.
 */
export interface DbHost {
  host: string
  port: number
}

export interface MultiHostUrl {
  hosts: DbHost[]
  user: string
  password: string | undefined
  database: string
  /** `read-write`: only a host that accepts writes will do (libpq semantics); `any`: the first that answers. */
  targetSessionAttrs: 'read-write' | 'any'
}

export function parseMultiHostUrl(url: string): MultiHostUrl {
  const match = /^postgres(?:ql)?:\/\/(?:([^:@/]+)(?::([^@/]*))?@)?([^/?]+)(?:\/([^?]*))?(?:\?(.*))?$/.exec(url)
  if (!match) throw new Error(`DATABASE_URL is not a postgresql:// URL: ${redact(url)}`)
  const [, user, password, hostList, database, query] = match
  const hosts = hostList!.split(',').map((entry) => {
    const [host, port] = entry.split(':')
    const portNumber = port ? Number(port) : 5432
    if (!host || !Number.isInteger(portNumber)) throw new Error(`DATABASE_URL has a bad host entry "${entry}"`)
    return { host, port: portNumber }
  })
  const params = new URLSearchParams(query ?? '')
  const attrs = params.get('target_session_attrs') ?? 'any'
  if (attrs !== 'read-write' && attrs !== 'any') throw new Error(`target_session_attrs=${attrs} is not supported (read-write | any)`)
  return {
    hosts,
    user: decodeURIComponent(user ?? 'postgres'),
    password: password === undefined ? undefined : decodeURIComponent(password),
    database: decodeURIComponent(database || 'postgres'),
    targetSessionAttrs: attrs,
  }
}

/** The URL without its password, for logs. */
export function redact(url: string): string {
  return url.replace(/(\/\/[^:@/]+:)[^@/]*@/, '$1***@')
}
