// The checks report authoring/'s Finding (defined beside the validator, which reports it too, so that authoring/ does not
// depend on the lint checks); re-exported here, where every check imports it from.
export type { Finding } from '../authoring/finding.js';
