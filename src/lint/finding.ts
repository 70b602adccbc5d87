// The checks report spec/'s Finding (defined beside the validator, which reports it too, so that spec/ does not
// depend on the lint checks); re-exported here, where every check imports it from.
export type { Finding } from '../spec/finding.js';
