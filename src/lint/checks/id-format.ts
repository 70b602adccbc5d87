import { basename } from 'node:path';
import type { LintCheck } from '../check.js';
import type { Finding } from '../finding.js';

/** An id is `<field>/<value>` so that it can be read without the data; a field lives in `<field>.yaml`. */
export const idFormat: LintCheck = {
  id: 'id-format',
  description: 'Entry ids are <field>/<value>; a field file is named <field>.yaml.',
  check(spec) {
    const findings: Finding[] = [];
    for (const field of spec.fields) {
      const expectedFile = `${field.data.field}.yaml`;
      if (basename(field.file.file) !== expectedFile) {
        findings.push({
          rule: this.id,
          level: 'error',
          message: `field "${field.data.field}" must live in ${expectedFile}`,
          position: field.at('field'),
        });
      }
      for (const entry of field.entries) {
        const expected = `${field.data.field}/${entry.data.value}`;
        if (entry.data.id !== expected) {
          findings.push({
            rule: this.id,
            level: 'error',
            message: `id "${entry.data.id}" must be "${expected}"`,
            position: entry.at('id'),
            tip: 'An id is <field>/<value>.',
          });
        }
      }
    }
    return findings;
  },
};
