// gitlab-ci-local is built for Node 22 and calls the Set methods Node 22
// added (union, intersection, ...); lockmc supports Node 20. Loaded with
// `node --import` before the validator on a Node that lacks them, and
// only defines what is absent.
const methods = {
  union(other) { const r = new Set(this); for (const x of other.keys()) r.add(x); return r; },
  intersection(other) { const r = new Set(); for (const x of this) if (other.has(x)) r.add(x); return r; },
  difference(other) { const r = new Set(); for (const x of this) if (!other.has(x)) r.add(x); return r; },
  symmetricDifference(other) { const r = new Set(this); for (const x of other.keys()) (this.has(x) ? r.delete(x) : r.add(x)); return r; },
  isSubsetOf(other) { for (const x of this) if (!other.has(x)) return false; return true; },
  isSupersetOf(other) { for (const x of other.keys()) if (!this.has(x)) return false; return true; },
  isDisjointFrom(other) { for (const x of this) if (other.has(x)) return false; return true; },
};
for (const [name, value] of Object.entries(methods)) {
  if (!(name in Set.prototype)) Object.defineProperty(Set.prototype, name, { value, writable: true, configurable: true });
}
