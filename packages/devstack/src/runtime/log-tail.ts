import { constants } from 'node:fs';
import { open } from 'node:fs/promises';

/**
 * The last `lines` non-empty lines of a file (reads at most `maxBytes` from its end); [] when it does not exist or
 * is not a regular file. Never follows a link in the last component and never blocks on a FIFO: the logs may sit in
 * directories of the user a server runs as.
 */
export async function tailFile(path: string, lines: number, maxBytes = 256 * 1024): Promise<string[]> {
  let handle;
  try {
    handle = await open(path, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
  } catch {
    return [];
  }
  try {
    const info = await handle.stat();
    if (!info.isFile()) return [];
    const { size } = info;
    const length = Math.min(size, maxBytes);
    const buffer = Buffer.alloc(length);
    await handle.read(buffer, 0, length, size - length);
    const all = buffer.toString('utf8').split(/\r?\n/);
    if (length < size) all.shift(); // first line is cut
    return all.filter((line) => line.trim() !== '').slice(-lines);
  } finally {
    await handle.close();
  }
}

/** Tails several log files into one list, each block headed by `==> path <==` (like `tail`). */
export async function tailFiles(paths: readonly string[], lines: number): Promise<string[]> {
  const out: string[] = [];
  for (const path of paths) {
    const tail = await tailFile(path, lines);
    if (tail.length > 0) out.push(`==> ${path} <==`, ...tail);
  }
  return out;
}
