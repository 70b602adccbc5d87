import { Ajv2020 } from 'ajv/dist/2020.js';
import { CONTRACT_SCHEMA_FILE, readSchemaFile } from '../../src/schema-files.js';

// The result's outcome is the contract schema's, which it refers to.
const ajv = new Ajv2020({ allErrors: true, strict: true, strictRequired: false }).addSchema(
  readSchemaFile(CONTRACT_SCHEMA_FILE),
);
export const validateResult = ajv.compile(readSchemaFile('result.schema.json'));
