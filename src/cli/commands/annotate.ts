// `wireladder annotate FILE --packet N --comment TEXT [--packet N --comment TEXT …] -o OUT.pcapng`:
// packet comments (pcapng opt_comment, which Wireshark shows too) written to a copy of a capture.
// The input is never written over unless --overwrite says so.

import { existsSync } from 'node:fs';
import { readCaptureFile } from '../../core/io/capture-reader';
import { isSameFile, rewriteCapture } from '../../core/io/pcapng-writer';
import type { CaptureSink, PacketRecord } from '../../core/io/types';
import { parseArgs, UsageError } from '../args';
import type { CliIo } from '../main';

export const ANNOTATE_USAGE =
  'usage: wireladder annotate FILE --packet N --comment TEXT [--packet N --comment TEXT …] -o OUT.pcapng [--replace] [--overwrite]';

/** Counts the packets of a capture and collects their comments (1-based packet numbers). */
class CommentReader implements CaptureSink {
  packets = 0;
  readonly comments = new Map<number, string[]>();

  onPacket(rec: PacketRecord): void {
    this.packets++;
    if (rec.comments !== null && rec.comments.length > 0) this.comments.set(this.packets, rec.comments.slice());
  }
}

export async function annotateCommand(argv: readonly string[], io: CliIo): Promise<number> {
  const args = parseArgs(argv, {
    '--packet': { value: true, alias: '-p' },
    '--comment': { value: true, alias: '-c' },
    '--output': { value: true, alias: '-o' },
    '--replace': {},
    '--overwrite': {},
  });
  const file = args.positional[0];
  if (file === undefined || args.positional.length > 1) {
    io.err(ANNOTATE_USAGE);
    return 1;
  }
  const packets = args.values.get('--packet') ?? [];
  const texts = args.values.get('--comment') ?? [];
  if (packets.length === 0 || packets.length !== texts.length) {
    throw new UsageError(`give each --packet N its --comment TEXT (${packets.length} --packet, ${texts.length} --comment)\n${ANNOTATE_USAGE}`);
  }
  const outs = args.values.get('--output') ?? [];
  const overwrite = args.flags.has('--overwrite');
  if (outs.length > 1) throw new UsageError('give -o once');
  const out = outs[0] ?? (overwrite ? file : undefined);
  if (out === undefined) throw new UsageError(`-o OUT.pcapng is required (or --overwrite to rewrite ${file} in place)\n${ANNOTATE_USAGE}`);
  if (!overwrite && isSameFile(file, out)) {
    io.err(`wireladder: refusing to write over the input ${file}; choose another -o, or pass --overwrite to replace it`);
    return 1;
  }
  if (!overwrite && existsSync(out)) {
    io.err(`wireladder: ${out} already exists; pass --overwrite to replace it`);
    return 1;
  }

  // The comments already in the file: new ones are added to them unless --replace.
  const reader = new CommentReader();
  const read = await readCaptureFile(file, reader);
  if (read.stop !== null) {
    io.err(`wireladder: ${file} is damaged at byte ${read.stop.offset} (${read.stop.reason}); not annotated, the copy would lose what follows`);
    return 1;
  }
  const byPacket = new Map<number, string[]>();
  for (let i = 0; i < packets.length; i++) {
    const text = packets[i]!;
    if (!/^\d+$/.test(text) || Number(text) < 1 || Number(text) > reader.packets) {
      throw new UsageError(`--packet ${text}: ${file} has packets 1 to ${reader.packets}`);
    }
    const n = Number(text);
    const comment = texts[i]!;
    if (comment.trim() === '') throw new UsageError(`--comment for packet ${n} is empty`);
    let list = byPacket.get(n);
    if (list === undefined) {
      list = args.flags.has('--replace') ? [] : (reader.comments.get(n)?.slice() ?? []);
      byPacket.set(n, list);
    }
    list.push(comment);
  }
  try {
    const result = await rewriteCapture(file, out, { commentsByPacket: byPacket, overwrite });
    const added = texts.length;
    io.err(`wireladder: wrote ${out}: ${result.packets} packets, ${added} comment${added === 1 ? '' : 's'} on ${byPacket.size} packet${byPacket.size === 1 ? '' : 's'}`);
    return 0;
  } catch (err) {
    io.err(`wireladder: ${err instanceof Error ? err.message : String(err)}`);
    return 1;
  }
}
