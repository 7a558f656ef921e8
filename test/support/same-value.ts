/**
 * Deep equality as the fast path's differential tests need it: the same keys in the same order, the
 * same scalar types and values (`Object.is`: -0 is not 0, NaN is NaN), arrays against arrays, plain
 * objects against plain objects, null against null and undefined against undefined. Returns where
 * the values first differ (a path), or undefined when they are the same.
 */
export function valueDifference(a: unknown, b: unknown, path = '$'): string | undefined {
  if (typeof a !== 'object' || a === null || typeof b !== 'object' || b === null) {
    return Object.is(a, b) ? undefined : `${path}: ${describe(a)} against ${describe(b)}`;
  }
  if (Array.isArray(a) !== Array.isArray(b)) return `${path}: array against object`;
  if (Object.getPrototypeOf(a) !== Object.getPrototypeOf(b)) return `${path}: different prototypes`;
  const ka = Reflect.ownKeys(a);
  const kb = Reflect.ownKeys(b);
  if (ka.length !== kb.length || ka.some((k, i) => k !== kb[i])) return `${path}: keys ${JSON.stringify(ka.map(String))} against ${JSON.stringify(kb.map(String))}`;
  for (const k of ka) {
    const da = Object.getOwnPropertyDescriptor(a, k)!;
    const db = Object.getOwnPropertyDescriptor(b, k)!;
    if (da.enumerable !== db.enumerable) return `${path}.${String(k)}: enumerability`;
    const d = valueDifference(da.value, db.value, `${path}.${String(k)}`);
    if (d !== undefined) return d;
  }
  return undefined;
}

/**
 * undefined when two equal values share nodes alike (the block reader shares an aliased node where
 * js-yaml does, and nowhere else): the objects of each, numbered in the order a walk meets them,
 * give the same sequence; else what differs.
 */
export function sharingDifference(actual: unknown, expected: unknown): string | undefined {
  const ids = (root: unknown): number[] => {
    const seen = new Map<object, number>();
    const out: number[] = [];
    const stack: unknown[] = [root];
    while (stack.length > 0) {
      const v = stack.pop();
      if (typeof v !== 'object' || v === null) continue;
      const known = seen.get(v);
      out.push(known ?? seen.size);
      if (known !== undefined) continue;
      seen.set(v, seen.size);
      stack.push(...Object.values(v).reverse());
    }
    return out;
  };
  return ids(actual).join() === ids(expected).join() ? undefined : 'shares nodes otherwise than the reference';
}

function describe(v: unknown): string {
  if (typeof v === 'number' && Object.is(v, -0)) return '-0 (number)';
  return `${typeof v === 'string' ? JSON.stringify(v) : String(v)} (${typeof v})`;
}
