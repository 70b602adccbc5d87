import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { schemasDir } from '../../src/paths.js';

const ajv = new Ajv2020({ allErrors: true, strict: true, strictRequired: false });
export const validateResult = ajv.compile(JSON.parse(readFileSync(join(schemasDir, 'result.schema.json'), 'utf8')));
