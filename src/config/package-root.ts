import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The installed package's root (works from src/ under tests and from dist/ when built). */
function findRoot(): string {
  for (let d = dirname(fileURLToPath(import.meta.url)); ; d = dirname(d)) {
    if (existsSync(join(d, 'package.json')) && existsSync(join(d, 'configs'))) return d;
    if (dirname(d) === d) throw new Error('gantry package root not found');
  }
}

export const PACKAGE_ROOT = findRoot();
export const SHIPPED_CONFIGS = join(PACKAGE_ROOT, 'configs');

/** gantry's own version, from its package.json. */
export const gantryVersion = (): string => (JSON.parse(readFileSync(join(PACKAGE_ROOT, 'package.json'), 'utf8')) as { version: string }).version;
