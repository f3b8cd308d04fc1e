// The fuzz harness's short run, part of `npm test`: 10,000 cases of every target (readers,
// dissectors' tree and fast paths, TLS, HTTP, the whole-file pass, display filters, key files,
// the whole-file pass with decryption) and 1,000
// hostile WebSocket messages against `wireladder serve`; nothing may throw, hang or disagree.
// `npm run fuzz` is the long run (1,000,000 cases a target).

import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { requireBuilt, root } from '../e2e/helpers';

interface Report {
  targets: { target: string; cases: number; execsPerSecond: number; findings: { message: string; stack: string }[] }[];
  ws: { messages: number; replies: number; findings: string[] } | null;
}

describe('fuzz smoke run', () => {
  it('10,000 cases of every target and 1,000 WebSocket messages find nothing', () => {
    requireBuilt();
    const out = mkdtempSync(join(tmpdir(), 'wl-fuzz-'));
    try {
      const r = spawnSync(process.execPath, [join(root, 'out/fuzz/run.js'), '--cases', '10000', '--seed', '7', '--ws', '1000', '--json', '--out', out], { cwd: root, encoding: 'utf8', timeout: 900_000, maxBuffer: 64 << 20 });
      expect(r.stderr).toBe('');
      const report = JSON.parse(r.stdout) as Report;
      expect(report.targets.map((t) => t.target)).toEqual(['readers', 'dissect', 'tls', 'http', 'analyze', 'filter', 'keylog', 'decrypt']);
      for (const t of report.targets) {
        expect(t.cases, t.target).toBe(10_000);
        expect(t.findings, `${t.target}: ${t.findings.map((f) => f.stack || f.message).join('\n')}`).toEqual([]);
      }
      expect(report.ws!.messages).toBe(1000);
      expect(report.ws!.replies).toBeGreaterThan(100);
      expect(report.ws!.findings).toEqual([]);
      expect(readdirSync(out)).toEqual([]);
      expect(r.status).toBe(0);
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  }, 900_000);
});
