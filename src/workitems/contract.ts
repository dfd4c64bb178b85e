import { isScalar, LineCounter, parseDocument } from 'yaml';
import { WorkItem } from '../../contracts/work-item.js';
import { parseStructuredText, readTextFile } from '../config/parse-file.js';

export interface LoadedContract {
  file: string;
  text: string;
  item: WorkItem;
  /** The 1-based line of a key path in the file (the nearest enclosing key that has one). */
  lineOf(path: (string | number)[]): number | undefined;
}

/** Reads and checks a work-item contract; every schema problem is reported as file:line: key: message. */
export function loadContract(file: string): LoadedContract {
  const text = readTextFile(file, 'work-item contract');
  const item = parseStructuredText(text, file, WorkItem, 'work-item contract');
  const counter = new LineCounter();
  const doc = parseDocument(text, { lineCounter: counter });
  const lineOf = (path: (string | number)[]) => {
    for (let n = path.length; n >= 0; n--) {
      const node = n === 0 ? doc.contents : doc.getIn(path.slice(0, n), true);
      const range = (node as { range?: [number, number, number] } | undefined)?.range;
      if (range) return counter.linePos(range[0]).line;
    }
    return undefined;
  };
  // An unquoted `01` is the number 1 to YAML; keep the id as the author wrote it.
  const asWritten = (path: (string | number)[], parsed: string) => {
    const node = doc.getIn(path, true);
    return isScalar(node) && typeof node.value === 'number' && node.range ? text.slice(node.range[0], node.range[1]) : parsed;
  };
  const key = item.identity_block;
  item.identity.issue = asWritten([key, 'issue'], item.identity.issue);
  item.identity.depends_on = item.identity.depends_on.map((d, i) => asWritten([key, 'depends_on', i], d));
  return { file, text, item, lineOf };
}

/** Issue ids compare as text, except that leading zeros of all-digit ids do not count (`01` is `1`). */
export function issueKey(id: string): string {
  return /^\d+$/.test(id) ? id.replace(/^0+(?=\d)/, '') : id;
}
