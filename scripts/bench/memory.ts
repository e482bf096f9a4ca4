import { readFile } from 'node:fs/promises';
import type { Target } from '../targets.js';

export interface MemoryRow {
  process: string;
  peak_rss_mib: number;
  last_rss_mib: number;
}

/** Resident set size of a process from /proc (Linux), in KiB; 0 when it is gone. */
async function rssKib(pid: number): Promise<number> {
  try {
    const status = await readFile(`/proc/${pid}/status`, 'utf8');
    return Number(status.match(/^VmRSS:\s+(\d+)/m)?.[1] ?? 0);
  } catch {
    return 0;
  }
}

/**
 * Samples the resident memory of every process of the target once a second while the benchmark
 * runs; a label's RSS is the sum over its processes (PostgreSQL's backends count shared buffers
 * each time, so its sum is an upper bound).
 */
export function sampleMemory(target: Target): { stop(): Promise<MemoryRow[]> } {
  const peak = new Map<string, number>();
  const last = new Map<string, number>();
  const sample = async () => {
    for (const { label, pids } of await target.processes()) {
      const kib = (await Promise.all(pids.map(rssKib))).reduce((sum, value) => sum + value, 0);
      last.set(label, kib);
      peak.set(label, Math.max(peak.get(label) ?? 0, kib));
    }
  };
  let sampling = sample();
  const timer = setInterval(() => {
    sampling = sampling.then(sample);
  }, 1000);
  const mib = (kib: number) => Math.round(kib / 102.4) / 10;
  let stopped: Promise<MemoryRow[]> | undefined;
  return {
    // Once: a second call (the caller's cleanup after an error) gets the same rows, no new sample.
    stop: () => {
      stopped ??= (async () => {
        clearInterval(timer);
        await sampling;
        await sample();
        return [...peak.keys()].map((label) => ({
          process: label,
          peak_rss_mib: mib(peak.get(label) ?? 0),
          last_rss_mib: mib(last.get(label) ?? 0),
        }));
      })();
      return stopped;
    },
  };
}
