import { closeSync, openSync } from 'node:fs';

/**
 * Opens `path` for a child's output and hands over the descriptor itself. (execa's `{file}` targets are
 * piped through gantry: a child would die of SIGPIPE when gantry does, and a grandchild holding the pipe
 * would keep gantry waiting after the child ended.) execa's types list only descriptors 3..9, but it
 * passes any open descriptor to the child as is.
 */
export async function withOutputFile<T>(path: string, use: (fd: 3) => Promise<T>): Promise<T> {
  const fd = openSync(path, 'w');
  try {
    return await use(fd as 3);
  } finally {
    closeSync(fd);
  }
}
