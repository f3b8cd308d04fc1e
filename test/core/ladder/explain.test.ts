// Step explanations: both locales have the same texts with the same placeholders, and what a step
// says is true for its connection (RSA vs ECDHE, TLS 1.2 vs 1.3, resumed, mutual, failures, HTTP).

import { describe, expect, it } from 'vitest';
import { listText, placeholders, suiteWords, text } from '../../../src/core/ladder/explain';
import type { LadderModel, LadderStep } from '../../../src/core/ladder/model';
import { en } from '../../../src/core/ladder/texts/en';
import { alertMeaningsZh, zhCN } from '../../../src/core/ladder/texts/zh-CN';
import { alertDescriptions } from '../../../src/core/tls/tables';
import { ladder } from './ladders';

const CAPTURES: [string, number][] = [
  ['local/tls12-rsa.pcap', 0],
  ['local/tls12-rsa.pcap', 1],
  ['local/tls12-ecdhe.pcap', 0],
  ['local/tls13.pcap', 0],
  ['local/mtls12.pcap', 0],
  ['local/mtls12-annotated.pcapng', 0],
  ['local/mtls12-nocert.pcap', 0],
  ['local/mtls13.pcap', 0],
  ['local/http11-keepalive.pcap', 0],
  ['local/http11-keepalive.pcap', 1],
  ['local/http10.pcap', 0],
  ['zeek/tls/hrr.pcap', 0],
  ['zeek/tls/tls-1.2-handshake-failure.pcap', 0],
  ['zeek/tls/client-certificate.pcap', 0],
  ['zeek/tcp/syn-then-rst.pcap', 0],
  ['zeek/tcp/retransmit-fast009.pcap', 0],
];

const stepWith = (m: LadderModel, frame: number): LadderStep => m.steps.find((s) => s.packets.includes(frame))!;
const all = (m: LadderModel): string => m.steps.map((s) => s.explanation).join('\n');
const CJK = /[\u4e00-\u9fff]/;

describe('text tables', () => {
  it('zh-CN has exactly the keys of en, each with the same placeholders', () => {
    expect(Object.keys(zhCN).sort()).toEqual(Object.keys(en).sort());
    for (const key of Object.keys(en) as (keyof typeof en)[]) {
      expect({ key, placeholders: placeholders(zhCN[key]) }).toEqual({ key, placeholders: placeholders(en[key]) });
    }
  });

  it('every zh-CN text is Chinese, apart from separators and protocol names', () => {
    const notChinese = Object.entries(zhCN).filter(([, v]) => !CJK.test(v)).map(([k]) => k).sort();
    expect(notChinese).toEqual([
      'cause.meaning', 'fact.alpn', 'fact.hrr', 'fact.http', 'fact.sni', 'fact.tls', 'list.sep',
      'message.ccs', 'message.finished', 'message.serverHello', 'message.serverHelloDone',
      'sep.clause', 'sep.sentence', 'title.http', 'value.http',
    ]);
  });

  it('zh-CN explains every TLS alert of the IANA registry', () => {
    for (const a of alertDescriptions.values()) expect(alertMeaningsZh[a.name], a.name).toMatch(CJK);
  });

  it('fills placeholders and joins lists in each language', () => {
    expect(text('en', 'tls.clientHello.sni', { sni: 'example.com' })).toBe('The SNI extension names the server it wants: example.com.');
    expect(listText('en', ['h2', 'http/1.1'])).toBe('h2 and http/1.1');
    expect(listText('en', ['a', 'b', 'c'])).toBe('a, b and c');
    expect(listText('zh-CN', ['h2', 'http/1.1'])).toBe('h2 和 http/1.1');
    expect(listText('zh-CN', ['选择性确认（SACK）', '窗口缩放'])).toBe('选择性确认（SACK）和窗口缩放');
  });

  it('puts cipher suites in words in both languages', () => {
    expect(suiteWords(0xc030, 'en')).toBe('ECDHE key exchange, RSA authentication, AES-256 in GCM mode, SHA-384 hash');
    expect(suiteWords(0xc030, 'zh-CN')).toBe('ECDHE 密钥交换，RSA 身份验证，AES-256（GCM 模式）加密，SHA-384 哈希');
    expect(suiteWords(0x1302, 'en')).toBe('AES-256 in GCM mode with SHA-384');
  });
});

describe('explanations are true for the connection', () => {
  it('every step of every capture has 1–4 sentences with no placeholder left, in both languages', async () => {
    for (const [file, stream] of CAPTURES) {
      for (const language of ['en', 'zh-CN'] as const) {
        const m = await ladder(file, stream, { language });
        for (const s of m.steps) {
          expect(s.explanation, `${file} step ${s.index}`).not.toBe('');
          expect(s.explanation, `${file} step ${s.index}`).not.toMatch(/\{\w+\}/);
          if (language === 'zh-CN') expect(s.explanation, `${file} step ${s.index}`).toMatch(CJK);
          else expect(s.explanation.split(/(?<=\.)\s+(?=[A-Z])/).length).toBeLessThanOrEqual(4);
        }
      }
    }
  });

  it('RSA key transport: the ClientKeyExchange has no forward secrecy (tls12-rsa)', async () => {
    const m = await ladder('local/tls12-rsa.pcap', 0);
    const cke = stepWith(m, 8).explanation;
    expect(cke).toContain('public key from the server’s certificate');
    expect(cke).toContain('no forward secrecy');
    expect(stepWith(m, 6).explanation).toContain('RSA key transport');
    const zh = await ladder('local/tls12-rsa.pcap', 0, { language: 'zh-CN' });
    expect(stepWith(zh, 8).explanation).toContain('没有前向保密');
  });

  it('ECDHE: ephemeral keys and forward secrecy, never “no forward secrecy” (tls12-ecdhe)', async () => {
    const m = await ladder('local/tls12-ecdhe.pcap');
    expect(stepWith(m, 6).explanation).toContain('ServerKeyExchange carries the server’s ephemeral x25519 public key');
    const cke = stepWith(m, 8).explanation;
    expect(cke).toContain('ECDHE');
    expect(cke).toContain('forward secrecy');
    expect(all(m)).not.toContain('no forward secrecy');
    expect(all(await ladder('local/tls12-ecdhe.pcap', 0, { language: 'zh-CN' }))).toContain('前向保密');
  });

  it('TLS 1.3: everything after ServerHello is encrypted; the CCS is only for middleboxes (tls13)', async () => {
    const m = await ladder('local/tls13.pcap');
    const sh = stepWith(m, 6).explanation;
    expect(sh).toContain('TLS 1.3');
    expect(sh).toContain('Everything after ServerHello is encrypted');
    expect(sh).toContain('middleboxes');
    expect(stepWith(m, 8).explanation).toContain('client’s Finished');
    expect(all(m)).not.toMatch(/ServerKeyExchange|no forward secrecy/);
    // The two records before the client's request: most likely session tickets, said once.
    expect(stepWith(m, 9).explanation).toContain('NewSessionTicket');
    expect(stepWith(m, 10).explanation).not.toContain('NewSessionTicket');
    const zh = await ladder('local/tls13.pcap', 0, { language: 'zh-CN' });
    expect(stepWith(zh, 6).explanation).toContain('ServerHello 之后的所有内容都用握手密钥加密');
  });

  it('TLS 1.3 with a client certificate: the client’s encrypted flight is more than Finished (mtls13)', async () => {
    const m = await ladder('local/mtls13.pcap');
    expect(all(m)).toContain('Certificate and CertificateVerify before Finished (mutual TLS)');
  });

  it('a resumed TLS 1.2 session skips the certificate and key exchange (tls12-rsa stream 1)', async () => {
    const m = await ladder('local/tls12-rsa.pcap', 1);
    expect(stepWith(m, 21).explanation).toContain('session ID of an earlier session');
    const sh = stepWith(m, 23).explanation;
    expect(sh).toContain('echoes the client’s session ID');
    expect(sh).toContain('skips Certificate and the key exchange');
    expect(all(m)).not.toContain('ClientKeyExchange');
    expect(stepWith(await ladder('local/tls12-rsa.pcap', 1, { language: 'zh-CN' }), 23).explanation).toContain('恢复之前的会话');
    // The full handshake of stream 0 never speaks of resumption.
    expect(all(await ladder('local/tls12-rsa.pcap', 0))).not.toMatch(/resum/i);
  });

  it('mutual authentication: CertificateRequest, the client certificate and CertificateVerify (mtls12)', async () => {
    const m = await ladder('local/mtls12.pcap');
    expect(stepWith(m, 6).explanation).toContain('CertificateRequest the server asks the client to prove its identity');
    const client = stepWith(m, 8).explanation;
    expect(client).toContain('CN=alice client');
    expect(client).toContain('CertificateVerify');
    expect(client).toContain('mutual authentication');
    expect(stepWith(m, 9).explanation).toContain('the TLS handshake is complete');
    const zh = await ladder('local/mtls12.pcap', 0, { language: 'zh-CN' });
    expect(stepWith(zh, 6).explanation).toContain('双向 TLS');
    expect(stepWith(zh, 8).explanation).toContain('双向认证');
  });

  it('an empty client Certificate, then handshake_failure: the server requires a client certificate (mtls12-nocert)', async () => {
    const m = await ladder('local/mtls12-nocert.pcap');
    expect(stepWith(m, 8).explanation).toContain('empty Certificate');
    const alert = stepWith(m, 9).explanation;
    expect(alert).toContain('handshake_failure');
    expect(alert).toContain('the server could not find an acceptable set of security parameters');
    expect(alert).toContain('Likely cause: the server requires a client certificate, and the client sent an empty Certificate.');
    expect(stepWith(m, 10).explanation).toContain('After its fatal alert the server closes the connection');
    const zh = await ladder('local/mtls12-nocert.pcap', 0, { language: 'zh-CN' });
    expect(stepWith(zh, 9).explanation).toContain('服务器要求客户端证书，而客户端发送了空的 Certificate');
  });

  it('handshake_failure right after the ClientHello: nothing in common (tls-1.2-handshake-failure)', async () => {
    const m = await ladder('zeek/tls/tls-1.2-handshake-failure.pcap');
    expect(stepWith(m, 6).explanation).toContain('Likely cause: the server found nothing acceptable in the ClientHello (TLS 1.2, 9 cipher suites)');
  });

  it('HelloRetryRequest names the group the server wants (hrr)', async () => {
    const m = await ladder('zeek/tls/hrr.pcap');
    expect(stepWith(m, 4).explanation).toContain('key share for secp224r1');
    expect(stepWith(m, 6).explanation).toContain('HelloRetryRequest: the server supports none of the key shares the client sent and asks for secp256r1 instead');
    expect(stepWith(m, 8).explanation).toContain('second ClientHello, now with a key share for secp256r1');
  });

  it('TCP: ISN and SYN_SENT, ack = ISN + 1 and SYN_RECEIVED, both ESTABLISHED only when they are', async () => {
    const m = await ladder('local/http10.pcap', 0);
    expect(m.steps[0]!.explanation).toContain('initial sequence number');
    expect(m.steps[0]!.explanation).toContain('moves to SYN_SENT');
    expect(m.steps[1]!.explanation).toContain('ack = ISN + 1');
    expect(m.steps[1]!.explanation).toContain('moves to SYN_RECEIVED');
    expect(m.steps[2]!.explanation).toContain('both ends are ESTABLISHED');
    for (const [file, stream] of CAPTURES) {
      for (const s of (await ladder(file, stream)).steps) {
        if (s.explanation.includes('both ends are ESTABLISHED')) expect(`${s.clientState}/${s.serverState}`).toBe('ESTABLISHED/ESTABLISHED');
        if (s.explanation.includes('TIME_WAIT for twice')) expect([s.clientState, s.serverState]).toContain('TIME_WAIT');
      }
    }
  });

  it('teardown: FIN_WAIT_1 and CLOSE_WAIT, then LAST_ACK, TIME_WAIT and CLOSED', async () => {
    const m = await ladder('local/http11-keepalive.pcap', 0);
    expect(stepWith(m, 15).explanation).toContain('active close): it moves to FIN_WAIT_1, and the server, on receiving the FIN, to CLOSE_WAIT');
    expect(stepWith(m, 16).explanation).toContain('it moves to LAST_ACK, and the client to TIME_WAIT');
    expect(stepWith(m, 16).explanation).toContain('2×MSL');
    expect(stepWith(m, 17).explanation).toContain('the server goes from LAST_ACK to CLOSED');
  });

  it('RST: after a SYN, and after all data was acknowledged', async () => {
    const rst = await ladder('zeek/tcp/syn-then-rst.pcap');
    expect(rst.steps[1]!.explanation).toContain('before any SYN/ACK, abandons the connection attempt');
    const idle = await ladder('zeek/tcp/retransmit-fast009.pcap');
    const last = idle.steps[idle.steps.length - 1]!.explanation;
    expect(last).toContain('aborts the connection with RST');
    expect(last).toContain('no data was lost');
    expect(last).toContain('idle for 60.2 s');
  });

  it('retransmissions say which packet they repeat and why', async () => {
    const m = await ladder('zeek/tcp/retransmit-fast009.pcap');
    expect(stepWith(m, 32).explanation).toContain('Fast retransmission: the client’s duplicate ACKs reported a gap');
    expect(stepWith(m, 32).explanation).toContain('first sent in packet 14');
    expect(stepWith(m, 34).explanation).toContain('first copy (packet 20) was not acknowledged in time');
  });

  it('HTTP: HTTP/1.1 keeps the connection alive, HTTP/1.0 closes it', async () => {
    const keep = await ladder('local/http11-keepalive.pcap', 0);
    expect(stepWith(keep, 6).explanation).toContain('keep-alive');
    expect(stepWith(keep, 6).explanation).toContain('The body is 17 bytes of text/html');
    expect(stepWith(keep, 8).explanation).toContain('the response is now complete');
    const close = await ladder('local/http10.pcap', 0);
    expect(stepWith(close, 4).explanation).toContain('HTTP/1.0 request: GET /');
    expect(stepWith(close, 6).explanation).toContain('HTTP/1.0 without Connection: keep-alive, so the connection closes after this response');
    expect(all(close)).not.toContain('keep-alive)');
    const post = await ladder('local/http11-keepalive.pcap', 1);
    expect(stepWith(post, 23).explanation).toContain('Connection: close');
    const zh = await ladder('local/http10.pcap', 0, { language: 'zh-CN' });
    expect(stepWith(zh, 6).explanation).toContain('HTTP/1.0 每个请求都要新建一个连接');
  });
});
