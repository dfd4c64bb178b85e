import { existsSync, readFileSync, statSync } from 'node:fs';
import type { ValidationResult } from '../../contracts/attempt.js';
import type { Validation } from '../../contracts/gate-contract.js';
import { countSources } from './citations.js';

/** Runs one contract validation against an already resolved file. Never throws for a bad file. */
export function runValidation(v: Validation, abs: string, display: string): ValidationResult {
  const result = (pass: boolean, detail: string, severity: 'warn' | 'fail' = 'fail'): ValidationResult => ({
    type: v.type,
    path: display,
    pass,
    severity,
    detail,
  });
  if (!existsSync(abs) || !statSync(abs).isFile()) {
    if (v.type === 'not_contains') return result(true, 'file absent: nothing to find', v.severity);
    return result(false, 'file does not exist');
  }
  if (v.type === 'file_exists') return result(true, 'exists');
  const text = readFileSync(abs, 'utf8');
  switch (v.type) {
    case 'min_sources': {
      const n = countSources(text);
      return result(n >= v.min, `${n} source(s), need ${v.min}`);
    }
    case 'contains_headings': {
      const headings = new Set(
        text
          .split(/\r?\n/)
          .map((l) => l.match(/^#{1,6}\s+(.*?)\s*#*\s*$/)?.[1]?.trim().toLowerCase())
          .filter((h): h is string => Boolean(h)),
      );
      const missing = v.headings.filter((h) => !headings.has(h.replace(/^#+\s*/, '').trim().toLowerCase()));
      return result(missing.length === 0, missing.length ? `missing heading(s): ${missing.join(', ')}` : 'all headings present');
    }
    case 'not_contains': {
      const lines = text.split(/\r?\n/);
      const re = v.regex ? new RegExp(v.pattern) : undefined;
      const hit = lines.findIndex((l) => (re ? re.test(l) : l.includes(v.pattern)));
      return result(hit === -1, hit === -1 ? `"${v.pattern}" not found` : `"${v.pattern}" found at line ${hit + 1}`, v.severity);
    }
    case 'json_valid': {
      try {
        JSON.parse(text);
        return result(true, 'valid JSON');
      } catch (e) {
        return result(false, `invalid JSON: ${(e as Error).message}`);
      }
    }
  }
}
