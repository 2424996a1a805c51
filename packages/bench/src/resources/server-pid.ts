import { readdir, readFile } from 'node:fs/promises';
import { parseProcStat, procAvailable, type ProcReaderOptions } from './proc-stat.js';

/** Command-line markers of the server JVMs: the main class of the process that does the work. */
export const SERVER_MARKERS = {
  kafka: /\bkafka\.Kafka\b/,
  elasticsearch: /\borg\.elasticsearch\.bootstrap\.Elasticsearch\b/,
} as const;

async function childrenFromTasks(
  pid: number,
  root: string,
  read: (path: string) => Promise<string>,
): Promise<number[] | undefined> {
  let tasks: string[];
  try {
    tasks = await readdir(`${root}/${pid}/task`);
  } catch {
    return undefined;
  }
  const children: number[] = [];
  for (const task of tasks) {
    try {
      const text = await read(`${root}/${pid}/task/${task}/children`);
      for (const c of text.trim().split(/\s+/)) if (/^\d+$/.test(c)) children.push(Number(c));
    } catch {
      return undefined; // kernel without CONFIG_PROC_CHILDREN: scan the ppids instead
    }
  }
  return children;
}

async function parentMap(
  root: string,
  read: (path: string) => Promise<string>,
): Promise<Map<number, number[]>> {
  const byParent = new Map<number, number[]>();
  const pids = (await readdir(root)).filter((name) => /^\d+$/.test(name)).map(Number);
  await Promise.all(
    pids.map(async (pid) => {
      try {
        const { ppid } = parseProcStat(await read(`${root}/${pid}/stat`));
        const list = byParent.get(ppid) ?? [];
        list.push(pid);
        byParent.set(ppid, list);
      } catch {
        // Exited while listing.
      }
    }),
  );
  return byParent;
}

/**
 * Every descendant of `pid`, breadth first: from `/proc/<pid>/task/<tid>/children`, or, where the kernel does not
 * provide those files, from the ppid of every process in `/proc/<pid>/stat`.
 */
export async function descendantPids(pid: number, options: ProcReaderOptions = {}): Promise<number[]> {
  if (!procAvailable(options.platform ?? process.platform)) return [];
  const root = options.procRoot ?? '/proc';
  const read = options.readText ?? ((path: string) => readFile(path, 'utf8'));
  let byParent: Map<number, number[]> | undefined;
  const childrenOf = async (p: number): Promise<number[]> => {
    const direct = await childrenFromTasks(p, root, read);
    if (direct !== undefined) return direct;
    byParent ??= await parentMap(root, read);
    return byParent.get(p) ?? [];
  };
  const out: number[] = [];
  const queue = [pid];
  while (queue.length > 0) {
    const next = queue.shift()!;
    for (const c of await childrenOf(next)) {
      if (out.includes(c) || c === pid) continue;
      out.push(c);
      queue.push(c);
    }
  }
  return out;
}

/**
 * The process that really is the server behind `pid`: `pid` itself or its descendant whose command line matches
 * `marker`, the deepest one when several do. Launchers (Elasticsearch's CLI launcher JVM, a shell script) hand the
 * work to a child, and CPU and RSS must be measured there. Returns `pid` when nothing matches or off Linux.
 */
export async function followServerPid(
  pid: number,
  marker: RegExp,
  options: ProcReaderOptions = {},
): Promise<number> {
  if (!procAvailable(options.platform ?? process.platform)) return pid;
  const root = options.procRoot ?? '/proc';
  const read = options.readText ?? ((path: string) => readFile(path, 'utf8'));
  const matches = async (p: number): Promise<boolean> => {
    try {
      return marker.test((await read(`${root}/${p}/cmdline`)).split('\0').join(' '));
    } catch {
      return false;
    }
  };
  const chain = [pid, ...(await descendantPids(pid, options))];
  let found: number | undefined;
  for (const p of chain) if (await matches(p)) found = p;
  return found ?? pid;
}
