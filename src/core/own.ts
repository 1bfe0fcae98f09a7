/**
 * A table's entry for a key that comes from the input, or undefined: a plain
 * `table[key]` answers `constructor`, `toString` or `__proto__` with
 * Object's own properties, which a command, a variable or a capability may
 * well be called.
 */
export function own<T>(table: Readonly<Record<string, T>>, key: string): T | undefined {
  return Object.hasOwn(table, key) ? table[key] : undefined;
}
