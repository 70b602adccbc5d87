// The release gate: the version in spec/ must be high enough for what changed since the latest release, and stable
// entries must be deprecated before they are deleted.
import type { DiffResult } from './change.js';
import { diffReleases, type Release } from './diff.js';
import { bumpVersion, compareVersions, isVersion, severity, stepBetween } from './semver.js';

interface ReleaseCheck {
  /** The version spec/ says. */
  version: string;
  /** The latest release snapshot's version; absent before the first release is cut. */
  latest?: string;
  /** The diff from the latest release to spec/ (empty before the first release). */
  diff: DiffResult;
  /** The lowest version spec/ may say. */
  least: string;
  problems: string[];
}

export function checkRelease(current: Release, latest: Release | undefined): ReleaseCheck {
  const version = current.contract.meta.version;
  if (!latest) {
    // Before the first release every change is part of it: there is nothing to be compatible with yet.
    return { version, diff: { bump: 'none', changes: [] }, least: version, problems: [] };
  }
  const from = latest.contract.meta.version;
  const result = diffReleases(latest, current);
  const least = bumpVersion(from, result.bump);
  const problems: string[] = [];
  if (compareVersions(version, from) < 0) {
    problems.push(`spec/contract.yaml says version ${version}, lower than the latest release ${from}`);
  } else {
    const step = stepBetween(from, version);
    if (severity(step) < severity(result.bump)) {
      problems.push(
        step === 'none'
          ? `spec/ differs from release ${from} (a ${result.bump} change) but spec/contract.yaml still says ${version}: set version to ${least}`
          : `the changes since ${from} need a ${result.bump} bump (at least ${least}), but spec/contract.yaml says ${version} (a ${step} bump)`,
      );
    }
  }
  const next = new Map(current.contract.entries.map((e) => [e.id, e]));
  for (const entry of latest.contract.entries) {
    if (next.has(entry.id) || entry.stability !== 'stable' || entry.deprecated !== undefined) continue;
    problems.push(
      `stable entry ${entry.id} (release ${from}) was deleted: deprecate it first (deprecated: {reason, note, replaced_by}) and delete it in a later major release`,
    );
  }
  const before = new Set(latest.contract.entries.map((e) => e.id));
  for (const entry of current.contract.entries) {
    if (before.has(entry.id) || !isVersion(entry.since)) continue;
    if (compareVersions(entry.since, from) <= 0 || compareVersions(entry.since, version) > 0) {
      problems.push(
        `entry ${entry.id} is new since release ${from} but says since: ${entry.since}; set since: ${version}`,
      );
    }
  }
  return { version, latest: from, diff: result, least, problems };
}
