import { open } from 'node:fs/promises';

/** The last `lines` non-empty lines of a file (reads at most `maxBytes` from its end); [] when it does not exist. */
export async function tailFile(path: string, lines: number, maxBytes = 256 * 1024): Promise<string[]> {
  let handle;
  try {
    handle = await open(path, 'r');
  } catch {
    return [];
  }
  try {
    const { size } = await handle.stat();
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
