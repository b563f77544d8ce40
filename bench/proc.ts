import { existsSync, readFileSync } from 'node:fs';

/** The process and all its descendants (a WORKERS=N server is a supervisor and its workers). */
export function processTree(pid: number): number[] {
  const tree = [pid];
  for (let index = 0; index < tree.length; index++) {
    const current = tree[index]!;
    const childrenFile = `/proc/${current}/task/${current}/children`;
    if (!existsSync(childrenFile)) continue;
    for (const child of readFileSync(childrenFile, 'utf8').trim().split(/\s+/).filter(Boolean)) tree.push(Number(child));
  }
  return tree;
}

/** CPU time one process has used, in microseconds (user + system, all threads). */
function ownCpuMicros(pid: number): number {
  // utime and stime are fields 14 and 15 of /proc/PID/stat, in clock ticks (100 per second on
  // Linux); the sum over threads. The command name (field 2) may contain spaces: skip past ')'.
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const ticks = Number(fields[11]) + Number(fields[12]);
  return (ticks * 1e6) / 100;
}

/** CPU time a server has used, in microseconds: the process and its descendants, every thread. */
export function cpuMicros(pid: number): number {
  return processTree(pid).reduce((sum, member) => sum + ownCpuMicros(member), 0);
}

/** Resident memory of a server (the process and its descendants), in bytes. */
export function rssBytes(pid: number): number {
  return processTree(pid).reduce((sum, member) => {
    const status = readFileSync(`/proc/${member}/status`, 'utf8');
    return sum + Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) * 1024;
  }, 0);
}
