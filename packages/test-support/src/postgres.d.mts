export interface ThrowawayPostgres {
  /** URL of the server's `postgres` database. */
  url: string
  port: number
  /** PID of the postmaster this helper started; undefined when DATABASE_URL pointed at an existing server. */
  pid: number | undefined
  /** Creates an empty database and returns its URL. */
  createDatabase(name: string): Promise<string>
  /** Stops the server (by PID) and removes its files, or drops the databases created on an existing server. */
  stop(): Promise<void>
}

export function postgresBinDir(): string
export function startPostgres(): Promise<ThrowawayPostgres>
