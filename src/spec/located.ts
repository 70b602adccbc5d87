// A YAML file of spec/ kept with its syntax tree, so that any value in it can be traced back to file:line:col.
import { isMap, isPair, isScalar, isSeq, LineCounter, parseDocument, type Document, type Node } from 'yaml';

export interface Position {
  file: string;
  line: number;
  col: number;
}

export type JsonPath = ReadonlyArray<string | number>;

export class LocatedFile {
  readonly data: unknown;
  readonly parseErrors: { message: string; position: Position }[];
  private readonly doc: Document.Parsed;
  private readonly lines: LineCounter;

  constructor(readonly file: string, source: string) {
    this.lines = new LineCounter();
    this.doc = parseDocument(source, { lineCounter: this.lines, prettyErrors: false, uniqueKeys: true });
    this.parseErrors = [...this.doc.errors, ...this.doc.warnings].map((e) => ({
      message: e.message.split('\n')[0] ?? e.message,
      position: this.at(e.pos[0]),
    }));
    this.data = this.parseErrors.length === 0 ? this.doc.toJS({ maxAliasCount: 100 }) : undefined;
  }

  /** The position of the value at `path`, or of its deepest existing ancestor. `key: true` points at the key. */
  locate(path: JsonPath, key = false): Position {
    let node: unknown = this.doc.contents;
    let offset = rangeStart(node) ?? 0;
    for (const segment of path) {
      if (isMap(node)) {
        const pair = node.items.find((p) => isPair(p) && isScalar(p.key) && String(p.key.value) === String(segment));
        if (!pair) break;
        const keyNode = pair.key as Node;
        offset = key && segment === path[path.length - 1] ? (rangeStart(keyNode) ?? offset) : (rangeStart(pair.value) ?? rangeStart(keyNode) ?? offset);
        node = pair.value;
      } else if (isSeq(node) && typeof segment === 'number') {
        const item = node.items[segment];
        if (item === undefined) break;
        offset = rangeStart(item) ?? offset;
        node = item;
      } else {
        break;
      }
    }
    return this.at(offset);
  }

  private at(offset: number): Position {
    const { line, col } = this.lines.linePos(offset);
    return { file: this.file, line, col };
  }
}

function rangeStart(node: unknown): number | undefined {
  const range = (node as { range?: [number, number, number] } | null)?.range;
  return range ? range[0] : undefined;
}

export function formatPosition(p: Position): string {
  return `${p.file}:${p.line}:${p.col}`;
}
