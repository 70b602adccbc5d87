// Versions of the contract (MAJOR.MINOR.PATCH, no pre-release tags) and the bump levels a diff requires.

export type Bump = 'none' | 'patch' | 'minor' | 'major';

/** Bump levels from the least to the most severe: the index is the severity. */
export const BUMPS: readonly Bump[] = ['none', 'patch', 'minor', 'major'];

export function severity(bump: Bump): number {
  return BUMPS.indexOf(bump);
}

export function maxBump(a: Bump, b: Bump): Bump {
  return severity(a) >= severity(b) ? a : b;
}

type Version = readonly [number, number, number];

const SEMVER = /^(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)$/;

export function isVersion(text: unknown): text is string {
  return typeof text === 'string' && SEMVER.test(text);
}

function parseVersion(text: string): Version {
  const m = SEMVER.exec(text);
  if (!m) throw new Error(`"${text}" is not a version (MAJOR.MINOR.PATCH)`);
  return [Number(m[1]), Number(m[2]), Number(m[3])];
}

export function compareVersions(a: string, b: string): number {
  const [x, y] = [parseVersion(a), parseVersion(b)];
  for (let i = 0; i < 3; i++) if (x[i] !== y[i]) return x[i]! < y[i]! ? -1 : 1;
  return 0;
}

/** The version a release after `from` must have at least, for a change of level `bump`. */
export function bumpVersion(from: string, bump: Bump): string {
  const [major, minor, patch] = parseVersion(from);
  switch (bump) {
    case 'major':
      return `${major + 1}.0.0`;
    case 'minor':
      return `${major}.${minor + 1}.0`;
    case 'patch':
      return `${major}.${minor}.${patch + 1}`;
    case 'none':
      return from;
  }
}

/** The level of the step from `from` to a later `to` (none when equal). Throws when `to` is lower. */
export function stepBetween(from: string, to: string): Bump {
  if (compareVersions(to, from) < 0) throw new Error(`${to} is lower than ${from}`);
  const [a, b] = [parseVersion(from), parseVersion(to)];
  if (b[0] > a[0]) return 'major';
  if (b[1] > a[1]) return 'minor';
  if (b[2] > a[2]) return 'patch';
  return 'none';
}
