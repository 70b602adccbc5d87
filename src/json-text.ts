// How the package orders keys and writes JSON files: the same bytes on every machine and locale, so that committed
// outputs (generated/, spec/releases/) diff only where their content changed.

/** Code-unit order: the same on every machine and locale. */
export function byCodeUnit(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** A JSON file's text: two-space indentation and a final newline. */
export function jsonFile(value: unknown): string {
  return JSON.stringify(value, null, 2) + '\n';
}
