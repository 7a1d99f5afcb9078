const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Ids are UUIDs; anything else can name no row, and must not reach PostgreSQL's uuid parser. */
export function isUuid(value: string): boolean {
  return UUID.test(value);
}
