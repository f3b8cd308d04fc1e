// The Open Recent list, kept as JSON in the user-data folder (newest first, at most ten).

import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';

const MAX = 10;

export class RecentFiles {
  private list: string[] = [];

  constructor(private readonly file: string) {
    try {
      const parsed: unknown = JSON.parse(readFileSync(file, 'utf8'));
      if (Array.isArray(parsed)) this.list = parsed.filter((p): p is string => typeof p === 'string').slice(0, MAX);
    } catch {
      this.list = [];
    }
  }

  /** Files still on disk, newest first. */
  entries(): string[] {
    return this.list.filter((p) => existsSync(p));
  }

  add(path: string): void {
    const p = resolve(path);
    this.list = [p, ...this.list.filter((x) => x !== p)].slice(0, MAX);
    this.save();
  }

  clear(): void {
    this.list = [];
    this.save();
  }

  private save(): void {
    try {
      writeFileSync(this.file, JSON.stringify(this.list, null, 2));
    } catch {
      // A read-only profile only costs the recent list.
    }
  }
}
