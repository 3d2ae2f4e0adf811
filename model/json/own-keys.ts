/**
 * Tables keyed by names a user chose (rule ids, presets, option keys, JSON
 * keys) are read and written by own property only: a plain `obj[key]`
 * finds Object.prototype's `constructor` or `toString`, and a plain
 * `obj[key] = v` with `__proto__` replaces the prototype instead of
 * storing a value.
 */

/** `table[key]` if `key` is the table's own property. */
export function lookupOwn<T>(table: Readonly<Record<string, T>>, key: string): T | undefined {
  return Object.hasOwn(table, key) ? table[key] : undefined;
}

/** Store `value` under `key` as an own, enumerable data property, whatever the key's name. */
export function setOwn<T>(obj: Record<string, T>, key: string, value: T): void {
  Object.defineProperty(obj, key, { value, writable: true, enumerable: true, configurable: true });
}
