// The build step that generate, diff --check and release share (kept apart from io.ts: it loads ajv and yaml,
// which the light commands such as classify must not pay for at start-up).
import { buildContract, type BuildResult } from '../generate/pipeline.js';
import { SpecLoadError } from '../authoring/load.js';
import { formatFinding } from './io.js';

/**
 * Builds the contract from a spec directory for a command: findings go to stderr; a number is the exit code the
 * command returns (2 the directory cannot be read, 1 it has errors).
 */
export function buildFromSpec(
  command: string,
  dir: string,
  ifErrors: string,
): Required<Pick<BuildResult, 'contract' | 'publishedSchema'>> | number {
  let built: BuildResult;
  try {
    built = buildContract(dir);
  } catch (error) {
    if (error instanceof SpecLoadError) {
      process.stderr.write(`error-contract ${command}: ${error.message}\n`);
      return 2;
    }
    throw error;
  }
  for (const f of built.findings) process.stderr.write(formatFinding(f) + '\n');
  if (!built.contract || !built.publishedSchema) {
    process.stderr.write(`error-contract ${command}: spec/ has errors${ifErrors}\n`);
    return 1;
  }
  return { contract: built.contract, publishedSchema: built.publishedSchema };
}
