// Loaded with `node --import`: makes any import of Ink or React fail loudly, to prove headless commands
// never load the console.
import { register } from 'node:module';

register(
  'data:text/javascript,' +
    encodeURIComponent(`
export async function resolve(specifier, context, next) {
  if (/^(ink|react|react-dom|@alcalzone\\/ink-table|ink-testing-library)(\\/|$)/.test(specifier))
    throw new Error('UI module loaded by a headless command: ' + specifier);
  return next(specifier, context);
}`),
);
