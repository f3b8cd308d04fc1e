import { describe, expect, it } from 'vitest';
import { walkFields } from '../../../src/core/dissect/tree';
import { Analyzer } from '../../../src/core/engine/analyzer';
import { readCaptureFile } from '../../../src/core/io/capture-reader';
import { corpusPath } from '../io/helpers';
import { ACK, CLIENT, PSH, RecordingFactory, Run, SERVER, SYN, Script } from './helpers';

describe('flow stage', () => {
  it('numbers TCP and UDP conversations separately, in order of first appearance', async () => {
    const streams: string[] = [];
    const a = new Analyzer({
      tree: true,
      onPacket: (p) => {
        const names = [...walkFields(p.tree!.layers)].filter((n) => n.name === 'tcp.stream' || n.name === 'udp.stream');
        streams.push(names.map((n) => `${n.name}=${n.text}`).join(','));
      },
    });
    await readCaptureFile(corpusPath('zeek/communityid/udp.pcap'), a);
    expect(streams.filter((s) => s.startsWith('udp.stream')).length).toBeGreaterThan(0);
    const udp = a.flows.conversations.filter((c) => c.proto === 17).map((c) => c.stream);
    expect(udp).toEqual(udp.map((_, i) => i));
  });

  it('adds tshark’s TCP fields to the tcp layer on the tree path, after the fields they follow', () => {
    const names: string[][] = [];
    const texts: Map<string, string>[] = [];
    const run = new Run({
      tree: true,
      onPacket: (p) => {
        const tcp = p.tree!.find('tcp')!;
        names.push(tcp.fields.map((n) => n.name));
        texts.push(new Map([...walkFields([tcp])].map((n) => [n.name, n.text])));
      },
    });
    run.segment({ from: CLIENT, to: SERVER, flags: SYN, seq: 1000, wscale: 7 });
    run.segment({ from: SERVER, to: CLIENT, flags: SYN | ACK, seq: 5000, ack: 1001, wscale: 2 });
    run.segment({ from: CLIENT, to: SERVER, flags: ACK, seq: 1001, ack: 5001, window: 512 });
    run.segment({ from: CLIENT, to: SERVER, flags: ACK | PSH, seq: 1001, ack: 5001, window: 512, payload: new Uint8Array(3) });
    const top = names[3]!;
    expect(top.indexOf('tcp.stream')).toBe(top.indexOf('tcp.dstport') + 1);
    expect(top.indexOf('tcp.seq')).toBeLessThan(top.indexOf('tcp.seq_raw'));
    expect(top.indexOf('tcp.nxtseq')).toBe(top.indexOf('tcp.seq_raw') + 1);
    expect(top.indexOf('tcp.window_size')).toBe(top.indexOf('tcp.window_size_value') + 1);
    expect(texts[3]!.get('tcp.seq')).toBe('1');
    expect(texts[3]!.get('tcp.nxtseq')).toBe('4');
    expect(texts[3]!.get('tcp.ack')).toBe('1');
    // The client's window scale (7) applies once both SYNs carried the option.
    expect(texts[3]!.get('tcp.window_size')).toBe(String(512 << 7));
    expect(texts[3]!.get('tcp.window_size_scalefactor')).toBe('128');
    expect(texts[2]!.get('tcp.analysis.acks_frame')).toBe('2');
    expect(texts[2]!.get('tcp.analysis.ack_rtt')).toBe('0.001000000');
    expect(texts[2]!.get('tcp.analysis.initial_rtt')).toBe('0.002000000');
    expect(texts[0]!.has('tcp.analysis')).toBe(false);
  });

  it('streamOf pins stream numbers for replays of part of a capture', () => {
    const run = new Run({ streamOf: (row) => (row === 0 ? 41 : undefined) });
    run.segment({ from: CLIENT, to: SERVER, flags: SYN, seq: 1 });
    run.segment({ from: { ip: [10, 0, 0, 9], port: 1234 }, to: SERVER, flags: SYN, seq: 1 });
    expect(run.conversations.map((c) => c.stream)).toEqual([41, 0]);
  });

  it('a segment far beyond any TCP window cannot open a gap that swallows the stream', () => {
    const factory = new RecordingFactory();
    const run = new Run({ appFactories: [factory] });
    const bytes = (s: string) => new TextEncoder().encode(s);
    run.segment({ from: CLIENT, to: SERVER, flags: SYN, seq: 100 });
    run.segment({ from: CLIENT, to: SERVER, flags: ACK | PSH, seq: 101, payload: bytes('one ') });
    run.segment({ from: CLIENT, to: SERVER, flags: ACK | PSH, seq: 101 + 0x60000000, payload: bytes('junk') });
    run.segment({ from: CLIENT, to: SERVER, flags: ACK | PSH, seq: 105, payload: bytes('two') });
    run.finish();
    expect(new TextDecoder().decode(factory.parsers[0]!.stream(0))).toBe('one two');
  });

  it('spans are empty unless the stage keeps them', () => {
    const factory = new RecordingFactory();
    const c = new Script({ appFactories: [factory] });
    c.client(SYN);
    c.client(ACK | PSH, 'hello');
    expect(factory.parsers[0]!.host.keepsSpans).toBe(false);
    expect(factory.parsers[0]!.spans(0, 0, 5)).toEqual([]);
  });
});
