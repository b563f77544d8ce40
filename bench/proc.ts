import { readFileSync } from 'node:fs';

/** CPU time a process has used, in microseconds (user + system, all threads). */
export function cpuMicros(pid: number): number {
  // utime and stime are fields 14 and 15 of /proc/PID/stat, in clock ticks (100 per second on
  // Linux); the sum over threads. The command name (field 2) may contain spaces: skip past ')'.
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const ticks = Number(fields[11]) + Number(fields[12]);
  return (ticks * 1e6) / 100;
}

/** Resident memory of a process, in bytes. */
export function rssBytes(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
  return kb * 1024;
}
