// A YAML file of spec/ kept with its syntax tree, so that any value in it can be traced back to file:line:col.
import { isMap, isPair, isScalar, isSeq, LineCounter, parseDocument, visit, type Document, type Node } from 'yaml';

/** Aliases a file may expand in all: a few are handy, thousands are an alias bomb (billion laughs). */
const MAX_ALIAS_COUNT = 100;

export interface Position {
  file: string;
  line: number;
  col: number;
}

export type JsonPath = ReadonlyArray<string | number>;

interface ParseError {
  message: string;
  position: Position;
  /** The finding's rule: `yaml-syntax` unless said otherwise (`encoding`, `yaml-aliases`). */
  rule?: string;
}

export class LocatedFile {
  readonly data: unknown;
  readonly parseErrors: ParseError[];
  private readonly doc: Document.Parsed;
  private readonly lines: LineCounter;

  /** `source` is the file's text, or a problem found before it could be parsed (e.g. its encoding), at a position. */
  constructor(
    readonly file: string,
    source: string | { problem: ParseError },
  ) {
    this.lines = new LineCounter();
    this.doc = parseDocument(typeof source === 'string' ? source : '', {
      lineCounter: this.lines,
      prettyErrors: false,
      uniqueKeys: true,
    });
    if (typeof source !== 'string') {
      this.parseErrors = [source.problem];
      this.data = undefined;
      return;
    }
    this.parseErrors = [...this.doc.errors, ...this.doc.warnings].map((e) => ({
      message: e.message.split('\n')[0] ?? e.message,
      position: this.at(e.pos[0]),
    }));
    let data: unknown;
    if (this.parseErrors.length === 0) {
      try {
        data = this.doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
      } catch (error) {
        // The yaml package refuses to expand an alias bomb (a ReferenceError); any failure here is a finding.
        this.parseErrors.push({
          rule: 'yaml-aliases',
          message: `${(error as Error).message} (aliases expand to more than ${MAX_ALIAS_COUNT} nodes); write the values out instead`,
          position: this.at(this.firstAlias() ?? 0),
        });
      }
    }
    this.data = data;
  }

  private firstAlias(): number | undefined {
    let offset: number | undefined;
    visit(this.doc, {
      Alias(_, node) {
        offset = node.range?.[0];
        return visit.BREAK;
      },
    });
    return offset;
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
        offset =
          key && segment === path[path.length - 1]
            ? (rangeStart(keyNode) ?? offset)
            : (rangeStart(pair.value) ?? rangeStart(keyNode) ?? offset);
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
