/**
 * Loading isomorphic-git for local object reads and writes.
 *
 * isomorphic-git compresses objects with the web CompressionStream when the
 * platform has one, which in Node goes through web streams and `Response`
 * (loading Node's whole HTTP client on first use) and is slower than its
 * bundled pako for the small objects a commit writes. crm hides the two
 * stream classes before isomorphic-git first looks, so pako is used; crm
 * itself never uses them.
 */
type Git = typeof import('isomorphic-git').default;

let loaded: Git | undefined;

export async function isoGit(): Promise<Git> {
  if (loaded) return loaded;
  const g = globalThis as Record<string, unknown>;
  for (const name of ['CompressionStream', 'DecompressionStream']) {
    const own = Object.getOwnPropertyDescriptor(g, name);
    if (own?.configurable) Object.defineProperty(g, name, { value: undefined, configurable: true, writable: true });
  }
  loaded = (await import('isomorphic-git')).default;
  return loaded;
}
