import { Document, isAlias, isMap, isScalar, isSeq, LineCounter, parseDocument } from 'yaml';

/*
 * Where a refused scenario's problems are in the text the person wrote. The
 * sandbox names each problem by its path (`runs[0].steps[2].interaction.accept.pin`);
 * this walks that path through the parsed YAML (or JSON, a subset of YAML) to
 * the line that holds it, or to the nearest part of it that exists (a missing
 * field is reported at the line of the object that lacks it).
 */

/** One problem with the line it belongs to (1-based). */
export interface LocatedProblem {
  path: string;
  message: string;
  line: number;
  /** The whole path was found; false when the line is that of the nearest existing parent. */
  exact: boolean;
}

/** A scenario's text read in the browser: its value to send, or why it is not YAML/JSON at all. */
export type ScenarioText = { ok: true; value: unknown } | { ok: false; problems: LocatedProblem[] };

type Segment = string | number;
type AnyNode = unknown;

/** `runs[0].steps[2].interaction` → `['runs', 0, 'steps', 2, 'interaction']`; `(root)` → `[]`. */
export function pathSegments(path: string): Segment[] {
  if (path === '' || path === '(root)') {
    return [];
  }
  return [...path.matchAll(/\[(\d+)\]|([^.[\]]+)/g)].map((m) => (m[1] !== undefined ? Number(m[1]) : m[2]));
}

function startOf(node: AnyNode): number | null {
  const range = (node as { range?: [number, number, number] | null } | null)?.range;
  return range ? range[0] : null;
}

function keyText(key: AnyNode): string {
  return isScalar(key) ? String(key.value) : String(key);
}

/**
 * The offset of the deepest part of the path that exists, and whether that is
 * the whole path. Map keys with dots in them (`accept: {"a.b": …}`) are found
 * by trying the longest run of segments first.
 */
function locate(doc: Document, segments: Segment[]): { offset: number; exact: boolean } {
  let node: AnyNode = doc.contents;
  let offset = startOf(node) ?? 0;
  let i = 0;
  while (i < segments.length) {
    if (isAlias(node)) {
      node = node.resolve(doc) ?? null;
    }
    let next: { node: AnyNode; offset: number | null; used: number } | null = null;
    if (isMap(node)) {
      for (let j = segments.length; j > i && next === null; j--) {
        const name = segments.slice(i, j).map(String).join('.');
        const pair = node.items.find((p) => keyText(p.key) === name);
        if (pair) {
          next = { node: pair.value, offset: startOf(pair.key) ?? startOf(pair.value), used: j - i };
        }
      }
    } else if (isSeq(node) && typeof segments[i] === 'number') {
      const item: AnyNode = node.items[segments[i] as number];
      if (item !== undefined) {
        next = { node: item, offset: startOf(item), used: 1 };
      }
    }
    if (next === null) {
      return { offset, exact: false };
    }
    node = next.node;
    offset = next.offset ?? offset;
    i += next.used;
  }
  return { offset, exact: true };
}

/** Each problem at its 1-based line in `text`. */
export function locateProblems(text: string, problems: readonly { path: string; message: string }[]): LocatedProblem[] {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter });
  const seen = new Set<string>();
  // A schema's alternatives can name the same problem twice: once is enough.
  const unique = problems.filter((p) => {
    const key = `${p.path}\n${p.message}`;
    return seen.has(key) ? false : (seen.add(key), true);
  });
  return unique.map((problem) => {
    const { offset, exact } = locate(doc, pathSegments(problem.path));
    return { path: problem.path, message: problem.message, line: lineCounter.linePos(offset).line, exact };
  });
}

/** The line a path is on (or its nearest existing parent's). */
export function lineOfPath(text: string, path: string): number {
  return locateProblems(text, [{ path, message: '' }])[0].line;
}

/** Reads YAML or JSON text into the value to upload; syntax errors come back at their lines. */
export function readScenarioText(text: string): ScenarioText {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: true });
  if (doc.errors.length > 0) {
    return {
      ok: false,
      problems: doc.errors.map((error) => ({
        path: '(root)',
        message: error.message.split('\n')[0],
        line: error.linePos?.[0].line ?? 1,
        exact: true,
      })),
    };
  }
  return { ok: true, value: doc.toJS({ maxAliasCount: 100 }) as unknown };
}

/** The sandbox's messages start with the path (`` `runs[0].steps` is required. ``); beside its line, the rest is enough. */
export function withoutPath(path: string, message: string): string {
  const prefix = `\`${path}\` `;
  return message.startsWith(prefix) ? message.slice(prefix.length) : message;
}
