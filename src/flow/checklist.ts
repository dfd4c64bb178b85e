import { copyFileSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { writeFileAtomic } from '../records/atomic.js';
import { redactString } from '../records/redact.js';

/**
 * The markdown checklist of WF_CHECKLIST_PATH (seeds/README.md): one `- [ ] Pxx NAME` line per phase,
 * ticked as phases pass, event lines under `## Events`; at flow end, with WF_CHECKLIST_RESET_ON_END=1,
 * the filled-in list is kept as `<checklist>.last` and the list is reset.
 */
const ITEM = /^(\s*[-*] \[)([ xX])(\] )(P\d\d)\b(.*)$/;
const EVENTS = '## Events';

export interface ChecklistItem {
  phase: string;
  done: boolean;
  text: string;
}

function read(path: string): string {
  return existsSync(path) ? readFileSync(path, 'utf8') : '';
}

function write(path: string, text: string): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileAtomic(path, redactString(text));
}

export function checklistItems(text: string): ChecklistItem[] {
  return text.split('\n').flatMap((line) => {
    const m = ITEM.exec(line);
    return m ? [{ phase: m[4]!, done: m[2] !== ' ', text: `${m[4]}${m[5]}`.trim() }] : [];
  });
}

function template(phases: { id: string; name: string }[]): string {
  return ['# gantry flow checklist', '', ...phases.map((p) => `- [ ] ${p.id} ${p.name}`), '', EVENTS, ''].join('\n');
}

function withEvent(text: string, line: string): string {
  const body = text.includes(EVENTS) ? text : `${text.replace(/\n*$/, '\n')}\n${EVENTS}\n`;
  return `${body.replace(/\n*$/, '\n')}- ${new Date().toISOString()} ${line}\n`;
}

/** Creates the checklist when it has no phase lines yet, and notes the flow's start. */
export function openChecklist(path: string, phases: { id: string; name: string }[], event: string): void {
  const text = read(path);
  write(path, withEvent(checklistItems(text).length ? text : template(phases), event));
}

/** Ticks a phase that passed its court; every phase end becomes an event line. */
export function tickChecklist(path: string, phase: string, passed: boolean, event: string): void {
  const lines = read(path).split('\n');
  if (passed)
    for (let i = 0; i < lines.length; i++) {
      const m = ITEM.exec(lines[i]!);
      if (m && m[4] === phase) lines[i] = `${m[1]}x${m[3]}${m[4]}${m[5]}`;
    }
  write(path, withEvent(lines.join('\n'), event));
}

/** Keeps the filled-in list as `<path>.last`, then unticks every item and clears the events. */
export function resetChecklist(path: string): { kept: string | null } {
  if (!existsSync(path)) return { kept: null };
  copyFileSync(path, `${path}.last`);
  const text = read(path);
  const head = text.includes(EVENTS) ? text.slice(0, text.indexOf(EVENTS)) : text;
  const unticked = head
    .split('\n')
    .map((line) => {
      const m = ITEM.exec(line);
      return m ? `${m[1]} ${m[3]}${m[4]}${m[5]}` : line;
    })
    .join('\n');
  write(path, `${unticked.replace(/\n*$/, '\n')}\n${EVENTS}\n`);
  return { kept: `${path}.last` };
}
