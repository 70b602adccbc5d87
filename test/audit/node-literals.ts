/**
 * Every failure-bearing string-literal field of the installed openai-node SDK, read from
 * node_modules/openai/resources/**\/*.d.ts with the TypeScript compiler API (a program and its type checker, so
 * that aliases such as `ResponseStatus` resolve). The failure-bearing rule is the Python extractor's
 * (test/audit/python_literals.py), written down in test/audit/README.md:
 *
 * - a property of an interface (or of an inline object type in one), keyed `<file>#<Qualified.Name>.<property>`,
 *   the file relative to the package without `.d.ts`; request parameters (any name segment ending in `Params`)
 *   are skipped, as the Python extractor skips the request TypedDicts;
 * - a discriminated union (a type alias whose members all carry a `type` or `event` tag), keyed
 *   `<file>#<Alias>.<tag>`, whose values are the tags of its members;
 * - that is failure-bearing by the same words and names as in Python.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import ts from 'typescript';

export interface SdkField {
  values: string[];
  /** The type also admits any other string (`string`, or `(string & {})`). */
  open: boolean;
  kind: 'field' | 'union';
  file: string;
}

export interface SdkVocabulary {
  sdk: 'python' | 'node';
  package: string;
  version: string;
  errors: string[];
  fields: Record<string, SdkField>;
}

const FAILURE_WORDS = new Set([
  'failed',
  'failure',
  'error',
  'errored',
  'incomplete',
  'expired',
  'cancelled',
  'canceled',
  'cancelling',
]);
const VOCABULARY_NAMES = new Set([
  'status',
  'code',
  'reason',
  'finish_reason',
  'type',
  'event',
  'error_type',
  'error_code',
]);
const OBJECT_FIELD_NAMES = new Set(['code', 'type', 'reason', 'error_type', 'error_code']);
const DISCRIMINATORS = ['type', 'event'] as const;
const ALWAYS = new Set(['finish_reason', 'error_type', 'error_code']);
const FAILURE_OBJECT = /error|incomplete|status_?details/i;

export function hasFailureWord(value: string): boolean {
  return value
    .toLowerCase()
    .split(/[._\-\s/]+/)
    .some((t) => FAILURE_WORDS.has(t));
}

/** The rule both extractors apply: `owner` is the declaring class / interface (or inline object's property) name. */
export function failureBearing(name: string, owner: string, values: string[], discriminator: boolean): boolean {
  if (!VOCABULARY_NAMES.has(name)) return false;
  if (ALWAYS.has(name)) return true;
  if (discriminator) return values.some(hasFailureWord);
  if ((DISCRIMINATORS as readonly string[]).includes(name) && values.length === 1) return false; // a tag: see its unions
  if (OBJECT_FIELD_NAMES.has(name) && FAILURE_OBJECT.test(owner)) return true;
  return values.some(hasFailureWord);
}

function declarationFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? declarationFiles(join(dir, e.name)) : e.name.endsWith('.d.ts') ? [join(dir, e.name)] : [],
  );
}

export function extractNodeVocabulary(packageDir: string): SdkVocabulary {
  const files = declarationFiles(join(packageDir, 'resources'));
  const program = ts.createProgram(files, {
    noEmit: true,
    skipLibCheck: true,
    types: [],
    target: ts.ScriptTarget.ES2022,
  });
  const checker = program.getTypeChecker();
  const fields: Record<string, SdkField> = {};
  const errors: string[] = [];

  const literalsOf = (type: ts.Type, seen = new Set<ts.Type>()): { values: string[]; open: boolean } => {
    const out = { values: [] as string[], open: false };
    if (seen.has(type)) return out;
    seen.add(type);
    const add = (r: { values: string[]; open: boolean }) => {
      for (const v of r.values) if (!out.values.includes(v)) out.values.push(v);
      out.open ||= r.open;
    };
    if (type.isStringLiteral()) out.values.push(type.value);
    else if (type.flags & ts.TypeFlags.String) out.open = true;
    else if (type.isUnion()) type.types.forEach((t) => add(literalsOf(t, seen)));
    else if (type.isIntersection()) out.open = type.types.some((t) => t.flags & ts.TypeFlags.String) || out.open;
    else if (checker.isArrayType(type)) add(literalsOf(checker.getTypeArguments(type as ts.TypeReference)[0]!, seen));
    return out;
  };

  const emit = (
    key: string,
    name: string,
    owner: string,
    type: ts.Type,
    discriminator: boolean,
    file: string,
    lits?: { values: string[]; open: boolean },
  ) => {
    const { values, open } = lits ?? literalsOf(type);
    if (values.length && failureBearing(name, owner, values, discriminator))
      fields[key] = { values, open, kind: discriminator ? 'union' : 'field', file };
  };

  const properties = (members: ts.NodeArray<ts.TypeElement>, path: string, owner: string, file: string) => {
    for (const m of members) {
      if (!ts.isPropertySignature(m) || !m.type) continue;
      const name = m.name.getText();
      emit(`${path}.${name}`, name, owner, checker.getTypeAtLocation(m.type), false, file);
      inline(m.type, `${path}.${name}`, name, file);
    }
  };
  // Inline object types of a property (`error: { code: ... } | null`, arrays of them) are walked in place.
  const inline = (node: ts.TypeNode, path: string, owner: string, file: string) => {
    if (ts.isTypeLiteralNode(node)) properties(node.members, path, owner, file);
    else if (ts.isUnionTypeNode(node) || ts.isIntersectionTypeNode(node))
      node.types.forEach((t) => inline(t, path, owner, file));
    else if (ts.isArrayTypeNode(node)) inline(node.elementType, path, owner, file);
    else if (ts.isTypeReferenceNode(node))
      node.typeArguments?.forEach((t) => inline(t, path, owner, file)); // Array<{...}>
    else if (ts.isParenthesizedTypeNode(node)) inline(node.type, path, owner, file);
  };

  const walk = (statements: ts.NodeArray<ts.Statement>, scope: string[], file: string, base: string) => {
    for (const s of statements) {
      if (ts.isModuleDeclaration(s) && s.body && ts.isModuleBlock(s.body))
        walk(s.body.statements, [...scope, s.name.getText()], file, base);
      if (!(ts.isInterfaceDeclaration(s) || ts.isTypeAliasDeclaration(s))) continue;
      const qualified = [...scope, s.name.text];
      if (qualified.some((n) => n.endsWith('Params'))) continue;
      const key = `${base}#${qualified.join('.')}`;
      if (ts.isInterfaceDeclaration(s)) {
        properties(s.members, key, s.name.text, file);
        continue;
      }
      if (ts.isTypeLiteralNode(s.type)) properties(s.type.members, key, s.name.text, file);
      const type = checker.getTypeAtLocation(s.type);
      if (!type.isUnion()) continue;
      const members = type.types.filter((t) => t.flags & ts.TypeFlags.Object);
      if (members.length < 2) continue;
      for (const tag of DISCRIMINATORS) {
        const lits = { values: [] as string[], open: false };
        for (const member of members) {
          const prop = member.getProperty(tag);
          if (!prop) continue;
          for (const v of literalsOf(checker.getTypeOfSymbol(prop)).values)
            if (!lits.values.includes(v)) lits.values.push(v);
        }
        emit(`${key}.${tag}`, tag, s.name.text, type, true, file, lits);
      }
    }
  };

  for (const path of files) {
    const source = program.getSourceFile(path);
    if (!source) {
      errors.push(`${path}: not in the program`);
      continue;
    }
    const file = relative(packageDir, path).replace(/\\/g, '/');
    walk(source.statements, [], `node_modules/openai/${file}`, file.replace(/\.d\.ts$/, ''));
  }
  const version = (JSON.parse(readFileSync(join(packageDir, 'package.json'), 'utf8')) as { version: string }).version;
  const sorted = Object.fromEntries(Object.entries(fields).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  return { sdk: 'node', package: 'openai', version, errors, fields: sorted };
}
