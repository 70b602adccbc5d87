// Finding everything an adapter started, so that nothing outlives the run (PROTOCOL.md, Transport). Killing the
// adapter's process group is not enough: a process that calls setsid (or setpgid) leaves the group, and once its
// parent exits it is no longer anyone's descendant either. So every adapter is started with a marker in its
// environment, which whatever it starts inherits, and the sweep kills every process of this user that carries it,
// plus every live descendant of the adapter (in case one cleared its environment). Linux: /proc; elsewhere the
// sweep finds nothing and the process group kill is all there is.
import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';

/** The environment variable that marks an adapter's processes; its value is unique to one adapter process. */
export const RUN_MARKER = 'ERROR_CONTRACT_ADAPTER_RUN';

export function newMarker(): string {
  return `${process.pid}-${randomBytes(12).toString('hex')}`;
}

function pids(): number[] {
  try {
    return readdirSync('/proc')
      .filter((name) => /^\d+$/.test(name))
      .map(Number)
      .filter((pid) => pid !== process.pid);
  } catch {
    return [];
  }
}

function parentOf(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'latin1');
    // pid (comm) state ppid …: comm may hold spaces and parentheses, so read after the last ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return Number(fields[1]);
  } catch {
    return undefined;
  }
}

function carries(pid: number, entry: string): boolean {
  try {
    const environ = readFileSync(`/proc/${pid}/environ`, 'latin1');
    return environ.startsWith(entry) || environ.includes(`\0${entry}`);
  } catch {
    // Gone, or another user's (which this runner could not have started).
    return false;
  }
}

/**
 * The pids to kill: every process carrying `marker`, and every descendant of `root` (pass it only while that process
 * is known to be alive, so that a reused pid is never taken for it). Synchronous, for exit hooks.
 */
function processesOf(marker: string, root: number | undefined): number[] {
  const all = pids();
  const entry = `${RUN_MARKER}=${marker}\0`;
  const found = new Set<number>();
  for (const pid of all) if (carries(pid, entry)) found.add(pid);
  if (root !== undefined) {
    const children = new Map<number, number[]>();
    for (const pid of all) {
      const parent = parentOf(pid);
      if (parent === undefined) continue;
      let list = children.get(parent);
      if (!list) children.set(parent, (list = []));
      list.push(pid);
    }
    const seen = new Set<number>([root]);
    const stack = [root];
    while (stack.length > 0) {
      for (const child of children.get(stack.pop()!) ?? []) {
        if (seen.has(child)) continue;
        seen.add(child);
        found.add(child);
        stack.push(child);
      }
    }
  }
  found.delete(process.pid);
  return [...found];
}

/** SIGKILLs every process of the adapter (see processesOf). */
export function sweep(marker: string, root: number | undefined): void {
  for (const pid of processesOf(marker, root)) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // Already gone.
    }
  }
}
