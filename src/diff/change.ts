// One difference between two contracts, and the bump it requires.
import type { Bump } from './semver.js';

/** The part of contract.json a change is in, or `schema` for the published JSON Schema. */
type Section = 'meta' | 'kinds' | 'fields' | 'profiles' | 'sources' | 'entries' | 'schema' | (string & {});

export type ChangeType = 'added' | 'removed' | 'deprecated' | 'undeprecated' | 'changed';

export interface Change {
  section: Section;
  /** The entry, kind, field, profile or source id; `` for meta; a JSON Pointer into the schema for `schema`. */
  id: string;
  change: ChangeType;
  /** The changed property inside the item (`retryable`, `python.class`, `overrides["…"].kind`); absent for whole items. */
  property?: string;
  /** The value before; absent when there was none. */
  old?: unknown;
  /** The value after; absent when there is none. */
  new?: unknown;
  bump: Exclude<Bump, 'none'>;
  /** Why this change needs this bump, in a few words. */
  why: string;
}

export interface DiffResult {
  bump: Bump;
  changes: Change[];
}
