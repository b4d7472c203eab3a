/**
 * Record ids: the file name without `.md`. Lowercase a-z 0-9 and `-`, 1 to 80
 * characters, not starting or ending with `-` (FORMAT.md). Generated from the
 * record's name once; a rename never changes it.
 */

export const ID_PATTERN = /^[a-z0-9](?:[a-z0-9-]{0,78}[a-z0-9])?$/;
const MAX_SLUG = 60; // leaves room for a collision suffix

export function isValidId(id: string): boolean {
  return ID_PATTERN.test(id);
}

/** Why an id breaks the rules, or undefined when it is fine. */
export function idProblem(id: string): string | undefined {
  if (id.length === 0) return 'the id is empty';
  if (id.length > 80) return `the id is ${id.length} characters long (at most 80)`;
  if (id.includes('/') || id.includes('\\') || id.includes('..')) return 'the id contains a path separator or `..`';
  if (/[A-Z]/.test(id)) return 'the id has uppercase letters (only a-z, 0-9 and - are allowed)';
  if (!/^[a-z0-9-]+$/.test(id)) return 'the id has characters other than a-z, 0-9 and -';
  if (id.startsWith('-') || id.endsWith('-')) return 'the id starts or ends with -';
  return undefined;
}

/** "Caffè Nero S.p.A." → "caffe-nero-s-p-a" */
export function slugify(text: string): string {
  const base = text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/ß/g, 'ss')
    .replace(/[æÆ]/g, 'ae')
    .replace(/[øØ]/g, 'o')
    .toLowerCase()
    .replace(/&/g, ' and ')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
  if (base.length <= MAX_SLUG) return base;
  const cut = base.slice(0, MAX_SLUG);
  const lastDash = cut.lastIndexOf('-');
  return (lastDash > 20 ? cut.slice(0, lastDash) : cut).replace(/-+$/g, '');
}

/**
 * A new id from `text` that is not in `taken` (ids that exist now or ever
 * existed): the slug, else slug-2, slug-3, …
 */
export function newId(text: string, taken: (id: string) => boolean, fallback = 'record'): string {
  const slug = slugify(text) || fallback;
  if (!taken(slug)) return slug;
  for (let n = 2; ; n++) {
    const candidate = `${slug}-${n}`;
    if (!taken(candidate)) return candidate;
  }
}
