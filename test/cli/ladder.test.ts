// `wireladder ladder` (every export format, checked by its bytes) and `wireladder annotate`
// (comments round-trip through pcapng; the input is never written over unless asked).

import { copyFileSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { run, type CliIo } from '../../src/cli/main';
import { analyzeFile } from '../../src/core/engine/analyze-file';
import { ladderFromFile } from '../../src/core/ladder/build';
import type { LadderModel } from '../../src/core/ladder/model';
import { corpusPath } from '../core/io/helpers';
import { decodePng, PNG_SIGNATURE } from '../core/ladder/png';

const dir = mkdtempSync(join(tmpdir(), 'wireladder-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const tmp = (name: string): string => join(dir, name);

interface Captured {
  code: number;
  out: string;
  err: string;
}

/** Runs the CLI with standard output collected as text (`isTTY` as given). */
async function cli(args: string[], isTTY = false): Promise<Captured> {
  let out = '';
  let err = '';
  const io: CliIo = {
    stdout: Object.assign({ write: (s: string) => ((out += s), true) }, isTTY ? { isTTY: true } : {}),
    out: (t) => (out += `${t}\n`),
    err: (t) => (err += `${t}\n`),
  };
  const code = await run(args, io);
  return { code, out, err };
}

const sha = (path: string): string => createHash('sha256').update(readFileSync(path)).digest('hex');
const MTLS = corpusPath('local/mtls12.pcap');

describe('wireladder ladder', () => {
  it('writes an SVG to standard output by default', async () => {
    const r = await cli(['ladder', MTLS, '--stream', '0']);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
    expect(r.out).toContain('ClientHello (28 suites)');
    expect(r.out.trimEnd().endsWith('</svg>')).toBe(true);
  });

  it('writes JSON, Mermaid and SVG files with the options applied', async () => {
    expect((await cli(['ladder', MTLS, '--stream', '0', '--format', 'json', '-o', tmp('m.json'), '--show-acks', '--lang', 'zh-CN'])).code).toBe(0);
    const model = JSON.parse(readFileSync(tmp('m.json'), 'utf8')) as LadderModel;
    expect(model.steps).toHaveLength(17);
    expect(model.language).toBe('zh-CN');
    expect(model.steps[0]!.explanation).toMatch(/[\u4e00-\u9fff]/);

    expect((await cli(['ladder', MTLS, '--stream', '0', '--format', 'mermaid', '-o', tmp('m.mmd')])).code).toBe(0);
    expect(readFileSync(tmp('m.mmd'), 'utf8')).toMatch(/^sequenceDiagram/m);

    const r = await cli(['ladder', MTLS, '--stream', '0', '-o', tmp('m.svg'), '--theme', 'dark', '--layout', 'even']);
    expect(r.code).toBe(0);
    expect(r.err).toContain('verdict: complete');
    const svg = readFileSync(tmp('m.svg'), 'utf8');
    expect(svg).toContain('data-theme="dark"');
    expect(svg).toContain('data-layout="even"');
  });

  it('writes a PNG: the signature, and an IHDR twice the SVG’s size', async () => {
    const svg = (await cli(['ladder', MTLS, '--stream', '0', '--width', '1000'])).out;
    const [, w, h] = /<svg [^>]*width="(\d+)" height="(\d+)"/.exec(svg)!;
    expect((await cli(['ladder', MTLS, '--stream', '0', '--format', 'png', '--width', '1000', '-o', tmp('m.png')])).code).toBe(0);
    const png = new Uint8Array(readFileSync(tmp('m.png')));
    expect([...png.subarray(0, 8)]).toEqual(PNG_SIGNATURE);
    expect(String.fromCharCode(...png.subarray(12, 16))).toBe('IHDR');
    const view = new DataView(png.buffer, png.byteOffset);
    expect(view.getUint32(16)).toBe(Number(w) * 2);
    expect(view.getUint32(20)).toBe(Number(h) * 2);
    const decoded = decodePng(png);
    expect(decoded.width).toBe(Number(w) * 2);
    // Not a blank image: some pixels are dark (text, arrows).
    let dark = 0;
    for (let i = 0; i < decoded.pixels.length; i += 4) if (decoded.pixels[i]! < 80 && decoded.pixels[i + 3]! > 200) dark++;
    expect(dark).toBeGreaterThan(1000);
  });

  it('writes a PDF: the header, the trailer and A4 pages', async () => {
    expect((await cli(['ladder', corpusPath('local/mtls12-nocert.pcap'), '--stream', '0', '--format', 'pdf', '-o', tmp('m.pdf')])).code).toBe(0);
    const pdf = readFileSync(tmp('m.pdf'));
    const text = pdf.toString('latin1');
    expect(text.startsWith('%PDF-')).toBe(true);
    expect(text.trimEnd().endsWith('%%EOF')).toBe(true);
    const pages = text.match(/\/Type \/Page\b/g) ?? [];
    expect(pages.length).toBeGreaterThanOrEqual(1);
    const boxes = [...text.matchAll(/\/MediaBox \[([^\]]+)\]/g)].map((m) => m[1]!.trim().split(/\s+/).map(Number));
    expect(boxes.length).toBe(pages.length);
    for (const b of boxes) expect([Math.round(Math.min(b[2]!, b[3]!)), Math.round(Math.max(b[2]!, b[3]!))]).toEqual([595, 842]);
  });

  it('refuses to write binary output to a terminal', async () => {
    const tty = await cli(['ladder', MTLS, '--stream', '0', '--format', 'png'], true);
    expect(tty.code).toBe(1);
    expect(tty.err).toContain('PNG is binary: write it to a file with -o OUT.png');
  });

  it('an unknown stream is bad input (exit 1) and names the streams there are', async () => {
    const r = await cli(['ladder', corpusPath('local/http10.pcap'), '--stream', '5']);
    expect(r.code).toBe(1);
    expect(r.err).toContain('has no TCP stream 5; TCP streams: 0, 1');
    expect((await cli(['ladder', MTLS])).err).toContain('--stream N is required');
    expect((await cli(['ladder', MTLS, '--stream', '0', '--format', 'gif'])).err).toContain('--format must be one of svg, png, pdf, mermaid, json');
  });

  it('never writes the ladder over the capture', async () => {
    const copy = tmp('victim.pcap');
    copyFileSync(MTLS, copy);
    const before = sha(copy);
    const r = await cli(['ladder', copy, '--stream', '0', '-o', copy]);
    expect(r.code).toBe(1);
    expect(r.err).toContain('refusing to write');
    expect(sha(copy)).toBe(before);
  });
});

describe('wireladder annotate', () => {
  it('adds comments that our reader, the ladder and Wireshark’s format all see', async () => {
    const out = tmp('annotated.pcapng');
    const r = await cli(['annotate', MTLS, '--packet', '4', '--comment', 'ClientHello: no SNI', '--packet', '9', '--comment', 'server Finished', '--packet', '4', '--comment', 'second note', '-o', out]);
    expect(r.code).toBe(0);
    expect(r.err).toContain('17 packets, 3 comments on 2 packets');
    const { analyzer } = await analyzeFile(out);
    expect(analyzer.index.comments.get(3)).toEqual(['ClientHello: no SNI', 'second note']);
    expect(analyzer.index.comments.get(8)).toEqual(['server Finished']);
    const m = await ladderFromFile(out, 0);
    expect(m.steps.find((s) => s.packets.includes(4))!.annotations).toEqual([
      { packet: 4, text: 'ClientHello: no SNI' },
      { packet: 4, text: 'second note' },
    ]);
    // Every export carries them.
    expect((await cli(['ladder', out, '--stream', '0'])).out).toContain('server Finished');
    expect((await cli(['ladder', out, '--stream', '0', '--format', 'mermaid'])).out).toContain('server Finished');
  });

  it('keeps the comments a file already has, unless --replace', async () => {
    const src = corpusPath('local/mtls12-annotated.pcapng');
    expect((await cli(['annotate', src, '-p', '6', '-c', 'mine', '-o', tmp('more.pcapng')])).code).toBe(0);
    expect((await analyzeFile(tmp('more.pcapng'))).analyzer.index.comments.get(5)).toEqual(['Server asks the client for a certificate (CertificateRequest)', 'mine']);
    expect((await cli(['annotate', src, '-p', '6', '-c', 'only mine', '--replace', '-o', tmp('replaced.pcapng')])).code).toBe(0);
    const c = (await analyzeFile(tmp('replaced.pcapng'))).analyzer.index.comments;
    expect(c.get(5)).toEqual(['only mine']);
    expect(c.get(7)).toEqual(['Client proves it holds the private key (CertificateVerify)']);
  });

  it('refuses to write over its input, or over any existing file, without --overwrite', async () => {
    const copy = tmp('input.pcapng');
    copyFileSync(corpusPath('local/mtls12-annotated.pcapng'), copy);
    const before = sha(copy);
    const same = await cli(['annotate', copy, '--packet', '1', '--comment', 'x', '-o', copy]);
    expect(same.code).toBe(1);
    expect(same.err).toContain('refusing to write over the input');
    const none = await cli(['annotate', copy, '--packet', '1', '--comment', 'x']);
    expect(none.code).toBe(1);
    expect(none.err).toContain('-o OUT.pcapng is required');
    expect(sha(copy)).toBe(before);
    const other = tmp('exists.pcapng');
    copyFileSync(copy, other);
    expect((await cli(['annotate', copy, '--packet', '1', '--comment', 'x', '-o', other])).err).toContain('already exists');

    const inPlace = await cli(['annotate', copy, '--packet', '1', '--comment', 'on purpose', '--overwrite']);
    expect(inPlace.code).toBe(0);
    expect(sha(copy)).not.toBe(before);
    expect((await analyzeFile(copy)).analyzer.index.comments.get(0)).toEqual(['on purpose']);
    expect(statSync(copy).size).toBeGreaterThan(0);
  });

  it('checks its arguments', async () => {
    expect((await cli(['annotate', MTLS, '--packet', '99', '--comment', 'x', '-o', tmp('bad.pcapng')])).err).toContain('has packets 1 to 17');
    expect((await cli(['annotate', MTLS, '--packet', '1', '-o', tmp('bad.pcapng')])).err).toContain('give each --packet N its --comment TEXT');
  });
});

describe('wireladder flows', () => {
  it('has a verdict column', async () => {
    const r = await cli(['flows', corpusPath('local/mtls12-nocert.pcap')]);
    expect(r.code).toBe(0);
    const [header, row] = r.out.trimEnd().split('\n');
    expect(header).toMatch(/verdict$/);
    expect(row).toContain('failed: handshake_failure from the server during the TLS handshake');
    const json = await cli(['flows', corpusPath('zeek/tcp/syn-then-rst.pcap'), '--json']);
    expect(JSON.parse(json.out)[0].verdict.status).toBe('failed');
  });
});
