/**
 * Dictionaries keyed by names users write (agents, components, domains, ids, ...). A plain
 * `{}` inherits `constructor`, `toString`, `__proto__` and the rest from Object.prototype, so
 * `counts[name] ?? 0` is a function for `constructor` and `groups[name] ??= {}` hands back
 * Object.prototype itself for `__proto__` (writing to it pollutes every object in the process).
 * Every keyed grouping uses a `Map` or one of these null-prototype objects instead, and values
 * read from objects that may have a prototype (parsed JSON) go through `own`.
 */

/** A null-prototype object: every key, `__proto__` and `constructor` included, is a plain key. */
export function dict<T>(entries?: Iterable<readonly [string, T]>): Record<string, T> {
  const out = Object.create(null) as Record<string, T>;
  if (entries) for (const [k, v] of entries) out[k] = v;
  return out;
}

/** `obj[key]` when `obj` has it as its own property, else undefined (never an inherited member). */
export function own<T>(obj: Readonly<Record<string, T>> | null | undefined, key: string): T | undefined {
  return obj != null && Object.prototype.hasOwnProperty.call(obj, key) ? obj[key] : undefined;
}

/** Whether `obj` has `key` as its own property. */
export function hasOwn(obj: object | null | undefined, key: string): boolean {
  return obj != null && Object.prototype.hasOwnProperty.call(obj, key);
}

/** A null-prototype copy with the keys in sorted order (deterministic JSON). */
export function sortedDict<T>(obj: Readonly<Record<string, T>>): Record<string, T> {
  return dict(
    Object.keys(obj)
      .sort()
      .map((k) => [k, obj[k]!] as const),
  );
}

/** A null-prototype copy of a constant lookup table (looked up by words users write). */
export function dictOf<T>(table: Readonly<Record<string, T>>): Record<string, T> {
  return dict(Object.entries(table));
}

/**
 * Appends `value` to the list under `key`, creating it on first use. (Copying the list on every
 * append, `map.set(k, [...(map.get(k) ?? []), v])`, is quadratic in the group's size.)
 */
export function pushTo<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}
