// "Did you mean …?" for a mistyped command, option or value: the closest candidates by edit distance.

/** Damerau-Levenshtein distance (optimal string alignment): a swap of two neighbours counts as one edit. */
function editDistance(a: string, b: string): number {
  const d: number[][] = [];
  for (let i = 0; i <= a.length; i++) d.push([i, ...new Array<number>(b.length).fill(0)]);
  for (let j = 0; j <= b.length; j++) d[0]![j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, d[i - 2]![j - 2]! + 1);
      d[i]![j] = v;
    }
  }
  return d[a.length]![b.length]!;
}

/**
 * The candidates close enough to `input` to be what was meant, closest first (at most `limit`): within a third of
 * the longer length in edits (at least 1, at most 3), or a prefix of at least three characters.
 */
export function suggest(input: string, candidates: Iterable<string>, limit = 3): string[] {
  const scored: [number, string][] = [];
  const lower = input.toLowerCase();
  for (const candidate of new Set(candidates)) {
    const c = candidate.toLowerCase();
    const distance = editDistance(lower, c);
    const allowed = Math.min(3, Math.max(1, Math.floor(Math.max(lower.length, c.length) / 3)));
    if (distance <= allowed) scored.push([distance, candidate]);
    else if (lower.length >= 3 && c.startsWith(lower)) scored.push([allowed + 1, candidate]);
  }
  scored.sort((x, y) => x[0] - y[0] || (x[1] < y[1] ? -1 : x[1] > y[1] ? 1 : 0));
  return scored.slice(0, limit).map(([, c]) => c);
}

/** ` (did you mean "a" or "b"?)`, or an empty string. */
export function didYouMean(input: string, candidates: Iterable<string>): string {
  const found = suggest(input, candidates);
  if (found.length === 0) return '';
  return `; did you mean ${found.map((s) => `"${s}"`).join(' or ')}?`;
}

/** The options a usage text documents: every `--name` and `-x` at the start of an option line or in the synopsis. */
export function optionsOf(usage: string): string[] {
  return [...new Set([...usage.matchAll(/(?<![\w-])(--[a-z][a-z0-9-]*|-[a-zA-Z])(?![\w-])/g)].map((m) => m[1]!))];
}
