// Hand-built ladder models for the renderer tests, with the values of real loopback captures
// (corpus/local/mtls12.pcap, mtls12-nocert.pcap, tls13-dsb.pcapng, http11-keepalive.pcap), so the
// renderers are tested against what the model builder will produce.

import type {
  Language,
  LadderModel,
  LadderStep,
  Phase,
  PhaseSpan,
  RttBracket,
  Side,
  StepKind,
  TcpStateName,
  Verdict,
} from '../../../src/core/ladder/model';

/** One step as written in a fixture; index, flight and the state-changed flags are derived. */
interface StepSpec {
  t: number;
  from: Side;
  packets: number[];
  label: string;
  kind: StepKind;
  phase: Phase;
  c: TcpStateName;
  s: TcpStateName;
  en: string;
  zh?: string;
  notes?: { packet: number; text: string }[];
  folded?: { packets: number; bytes: number };
}

function buildSteps(specs: StepSpec[], language: Language, initial: { c: TcpStateName; s: TcpStateName } = { c: 'CLOSED', s: 'LISTEN' }): LadderStep[] {
  let prevC = initial.c;
  let prevS = initial.s;
  let flight = 0;
  let prevFrom: Side | null = null;
  return specs.map((sp, i) => {
    if (sp.from !== prevFrom) flight++;
    prevFrom = sp.from;
    const step: LadderStep = {
      index: i + 1,
      time: sp.t,
      from: sp.from,
      packets: sp.packets,
      label: sp.label,
      kind: sp.kind,
      phase: sp.phase,
      flight,
      clientState: sp.c,
      serverState: sp.s,
      clientStateChanged: sp.c !== prevC,
      serverStateChanged: sp.s !== prevS,
      explanation: language === 'zh-CN' && sp.zh !== undefined ? sp.zh : sp.en,
      annotations: sp.notes ?? [],
      folded: sp.folded ?? null,
    };
    prevC = sp.c;
    prevS = sp.s;
    return step;
  });
}

/** Phase spans from the steps' own phases (consecutive runs). */
function spans(steps: LadderStep[]): PhaseSpan[] {
  const out: PhaseSpan[] = [];
  for (const s of steps) {
    const last = out[out.length - 1];
    if (last !== undefined && last.phase === s.phase) last.lastStep = s.index;
    else out.push({ phase: s.phase, firstStep: s.index, lastStep: s.index });
  }
  return out;
}

function endpoint(address: string, port: number, role: Side): LadderModel['client'] {
  return { address, port, label: address.includes(':') ? `[${address}]:${port}` : `${address}:${port}`, role };
}

interface ModelSpec {
  title: string;
  capture: string;
  stream: number;
  client: [string, number];
  server: [string, number];
  startEpoch: number;
  steps: StepSpec[];
  brackets: RttBracket[];
  verdict: Verdict;
  verdictZh?: Verdict;
  facts: { label: string; value: string }[];
}

function model(spec: ModelSpec, language: Language): LadderModel {
  const steps = buildSteps(spec.steps, language);
  return {
    title: spec.title,
    capture: spec.capture,
    conversation: spec.stream,
    stream: spec.stream,
    protocol: 'TCP',
    client: endpoint(spec.client[0], spec.client[1], 'client'),
    server: endpoint(spec.server[0], spec.server[1], 'server'),
    startEpoch: spec.startEpoch,
    steps,
    brackets: spec.brackets,
    phases: spans(steps),
    verdict: language === 'zh-CN' && spec.verdictZh !== undefined ? spec.verdictZh : spec.verdict,
    holes: [],
    diagnosis: {
      tcp: {
        synFrame: 1,
        synAckFrame: 2,
        ackFrame: 3,
        established: true,
        clientStates: ['CLOSED', 'SYN_SENT', 'ESTABLISHED', 'FIN_WAIT_1', 'FIN_WAIT_2', 'TIME_WAIT'],
        serverStates: ['LISTEN', 'SYN_RECEIVED', 'ESTABLISHED', 'CLOSE_WAIT', 'LAST_ACK', 'CLOSED'],
        bytes: { client: 582, server: 3076 },
        resets: [],
        finFrame: { client: 16, server: 15 },
        closedBy: { how: 'fin', side: 'server', frame: 15 },
        gaps: [],
        retransmissions: 0,
        attempts: [],
      },
      tls: null,
      http: null,
      latency: { tcpConnect: { fromFrame: 1, toFrame: 2, seconds: 0.00002 }, tlsHandshake: null, timeToFirstByte: null },
    },
    language,
    facts: spec.facts,
  };
}

// ---- TLS 1.2 with mutual authentication (corpus/local/mtls12.pcap, ACKs shown) --------------------

const handshakeTcp: StepSpec[] = [
  {
    t: 0, from: 'client', packets: [1], label: 'SYN seq=0', kind: 'tcp-control', phase: 'tcp-handshake', c: 'SYN_SENT', s: 'LISTEN',
    en: 'The client opens the connection with a SYN and picks its initial sequence number (shown as 0, relative). It offers MSS 65495, SACK and window scaling.',
    zh: '客户端发送 SYN 发起连接，并选择初始序列号（相对值显示为 0）。它提供 MSS 65495、SACK 和窗口缩放选项。',
  },
  {
    t: 0.000126, from: 'server', packets: [2], label: 'SYN, ACK seq=0 ack=1', kind: 'tcp-control', phase: 'tcp-handshake', c: 'SYN_SENT', s: 'SYN_RECEIVED',
    en: 'The server is listening on port 8444 and answers with SYN+ACK: it acknowledges the client’s SYN (ack=1) and sends its own initial sequence number.',
    zh: '服务器在 8444 端口监听，回复 SYN+ACK：确认客户端的 SYN（ack=1），同时发送自己的初始序列号。',
  },
  {
    t: 0.000139, from: 'client', packets: [3], label: 'ACK seq=1 ack=1', kind: 'ack', phase: 'tcp-handshake', c: 'ESTABLISHED', s: 'ESTABLISHED',
    en: 'The client acknowledges the server’s SYN. The three-way handshake is complete and both ends are ESTABLISHED after one round trip (0.13 ms).',
    zh: '客户端确认服务器的 SYN。三次握手完成，经过一次往返（0.13 ms）后两端都进入 ESTABLISHED 状态。',
  },
];

const mtls12: ModelSpec = {
  title: 'TLS 1.2 handshake with mutual authentication',
  capture: 'mtls12.pcap',
  stream: 0,
  client: ['127.0.0.1', 45614],
  server: ['127.0.0.1', 8444],
  startEpoch: 1795391127.338403,
  steps: [
    ...handshakeTcp,
    {
      t: 0.002182, from: 'client', packets: [4], label: 'ClientHello (SNI example.com, 29 suites)', kind: 'tls-handshake', phase: 'tls-handshake', c: 'ESTABLISHED', s: 'ESTABLISHED',
      en: 'The client starts TLS: it offers TLS 1.2, 29 cipher suites, a random nonce and the server name example.com (SNI). ALPN offers h2 and http/1.1.',
      zh: '客户端开始 TLS 握手：提供 TLS 1.2、29 个密码套件、一个随机数以及服务器名称 example.com（SNI）。ALPN 提供 h2 和 http/1.1。',
    },
    {
      t: 0.002211, from: 'server', packets: [5], label: 'ACK ack=203', kind: 'ack', phase: 'tls-handshake', c: 'ESTABLISHED', s: 'ESTABLISHED',
      en: 'The server’s TCP stack acknowledges the 202 bytes of the ClientHello before the TLS library has answered.',
      zh: '服务器的 TCP 协议栈先确认 ClientHello 的 202 个字节，此时 TLS 库还没有应答。',
    },
    {
      t: 0.003224, from: 'server', packets: [6], label: 'ServerHello, Certificate, ServerKeyExchange, CertificateRequest, ServerHelloDone', kind: 'tls-handshake', phase: 'tls-handshake', c: 'ESTABLISHED', s: 'ESTABLISHED',
      en: 'The server picks TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384, sends its certificate chain and a signed ECDHE key share (x25519). With CertificateRequest it asks the client to authenticate too: this is mutual TLS.',
      zh: '服务器选择 TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384，发送证书链和签名的 ECDHE 密钥份额（x25519）。通过 CertificateRequest 要求客户端也进行身份验证：这就是双向 TLS。',
      notes: [{ packet: 6, text: 'Server asks the client for a certificate (CertificateRequest)' }],
    },
    {
      t: 0.003234, from: 'client', packets: [7], label: 'ACK ack=2125', kind: 'ack', phase: 'tls-handshake', c: 'ESTABLISHED', s: 'ESTABLISHED',
      en: 'The client acknowledges the server’s 2124-byte flight.',
      zh: '客户端确认服务器发送的 2124 字节。',
    },
    {
      t: 0.004441, from: 'client', packets: [8], label: 'Certificate, ClientKeyExchange, CertificateVerify', kind: 'tls-handshake', phase: 'tls-handshake', c: 'ESTABLISHED', s: 'ESTABLISHED',
      en: 'The client sends its own certificate, its ECDHE key share, and a CertificateVerify signature over the handshake so far, proving it holds the certificate’s private key.',
      zh: '客户端发送自己的证书、ECDHE 密钥份额，以及对目前握手内容的 CertificateVerify 签名，证明它持有证书对应的私钥。',
      notes: [{ packet: 8, text: 'Client proves it holds the private key (CertificateVerify)' }],
    },
    {
      t: 0.004441, from: 'client', packets: [8], label: 'ChangeCipherSpec, Finished', kind: 'tls-ccs', phase: 'tls-handshake', c: 'ESTABLISHED', s: 'ESTABLISHED',
      en: 'In the same segment the client switches to the negotiated keys (ChangeCipherSpec) and sends Finished, the first encrypted message.',
      zh: '在同一个报文段中，客户端切换到协商好的密钥（ChangeCipherSpec）并发送 Finished，这是第一条加密消息。',
    },
    {
      t: 0.005001, from: 'server', packets: [9], label: 'ChangeCipherSpec, Finished', kind: 'tls-ccs', phase: 'tls-handshake', c: 'ESTABLISHED', s: 'ESTABLISHED',
      en: 'The server verified the client certificate and signature; it switches to encryption and sends Finished. The TLS 1.2 handshake took two round trips.',
      zh: '服务器验证了客户端的证书和签名，随后切换到加密并发送 Finished。TLS 1.2 握手用了两个往返。',
    },
    {
      t: 0.005107, from: 'client', packets: [10], label: 'GET /', kind: 'http-request', phase: 'application-data', c: 'ESTABLISHED', s: 'ESTABLISHED',
      en: 'The first application data: an HTTP/1.1 request, decrypted with the key log.',
      zh: '第一条应用数据：一个 HTTP/1.1 请求，已用密钥日志解密。',
    },
    {
      t: 0.005588, from: 'server', packets: [11], label: '200 OK text/html 8,689 bytes', kind: 'http-response', phase: 'application-data', c: 'ESTABLISHED', s: 'ESTABLISHED',
      en: 'The server answers 200 OK with an 8.7 kB HTML page, 0.48 ms after the request.',
      zh: '服务器在请求后 0.48 ms 回复 200 OK，内容为 8.7 kB 的 HTML 页面。',
    },
    {
      t: 0.005597, from: 'server', packets: [12], label: 'Alert (warning): close_notify', kind: 'tls-close', phase: 'teardown', c: 'ESTABLISHED', s: 'ESTABLISHED',
      en: 'The server ends the TLS session cleanly with a close_notify alert; it is a warning, not an error.',
      zh: '服务器用 close_notify 告警正常结束 TLS 会话；这是警告级别，不是错误。',
    },
    {
      t: 0.0056, from: 'client', packets: [13], label: 'ACK ack=11047', kind: 'ack', phase: 'teardown', c: 'ESTABLISHED', s: 'ESTABLISHED',
      en: 'The client acknowledges everything the server sent.',
      zh: '客户端确认服务器发送的全部数据。',
    },
    {
      t: 0.005675, from: 'client', packets: [14], label: 'Alert (warning): close_notify', kind: 'tls-close', phase: 'teardown', c: 'ESTABLISHED', s: 'ESTABLISHED',
      en: 'The client answers with its own close_notify, so neither side can be fooled by a truncated stream.',
      zh: '客户端回复自己的 close_notify，这样双方都不会被截断的数据流欺骗。',
    },
    {
      t: 0.005696, from: 'server', packets: [15], label: 'FIN, ACK seq=11047 ack=1421', kind: 'tcp-control', phase: 'teardown', c: 'CLOSE_WAIT', s: 'FIN_WAIT_1',
      en: 'The server closes its side of the TCP connection first (active close).',
      zh: '服务器先关闭它这一侧的 TCP 连接（主动关闭）。',
    },
    {
      t: 0.005732, from: 'client', packets: [16], label: 'FIN, ACK seq=1421 ack=11048', kind: 'tcp-control', phase: 'teardown', c: 'LAST_ACK', s: 'TIME_WAIT',
      en: 'The client acknowledges the server’s FIN and closes its side in the same segment.',
      zh: '客户端确认服务器的 FIN，并在同一个报文段中关闭自己这一侧。',
    },
    {
      t: 0.005742, from: 'server', packets: [17], label: 'ACK seq=11048 ack=1422', kind: 'ack', phase: 'teardown', c: 'CLOSED', s: 'TIME_WAIT',
      en: 'The server acknowledges the client’s FIN. The client is CLOSED; the server waits in TIME_WAIT (2×MSL) so late segments cannot confuse a new connection.',
      zh: '服务器确认客户端的 FIN。客户端进入 CLOSED；服务器在 TIME_WAIT 中等待 2×MSL，以免迟到的报文段干扰新连接。',
    },
  ],
  brackets: [
    { label: 'TCP RTT', fromStep: 1, toStep: 2, seconds: 0.000126 },
    { label: 'TLS RTT', fromStep: 4, toStep: 6, seconds: 0.001042 },
    { label: 'TTFB', fromStep: 11, toStep: 12, seconds: 0.000481 },
  ],
  verdict: { status: 'complete', reason: 'mutual TLS 1.2 handshake completed, one HTTP request answered, connection closed cleanly', findings: [] },
  verdictZh: { status: 'complete', reason: '双向 TLS 1.2 握手完成，一个 HTTP 请求得到应答，连接正常关闭', findings: [] },
  facts: [
    { label: 'TLS', value: '1.2' },
    { label: 'Cipher suite', value: 'TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384' },
    { label: 'SNI', value: 'example.com' },
    { label: 'ALPN', value: 'http/1.1' },
    { label: 'Key exchange', value: 'ECDHE x25519' },
    { label: 'Client certificate', value: 'CN=client.example.com' },
  ],
};

// ---- TLS 1.3 (corpus/local/tls13-dsb.pcapng, pure ACKs folded) ------------------------------------

const tls13: ModelSpec = {
  title: 'TLS 1.3 handshake',
  capture: 'tls13-dsb.pcapng',
  stream: 0,
  client: ['127.0.0.1', 49900],
  server: ['127.0.0.1', 8443],
  startEpoch: 1795391201.118842,
  steps: [
    { ...handshakeTcp[0]!, t: 0, en: handshakeTcp[0]!.en },
    { ...handshakeTcp[1]!, t: 0.000019, en: 'The server, listening on port 8443, answers with SYN+ACK: it acknowledges the client’s SYN and sends its own initial sequence number.', zh: '服务器在 8443 端口监听，回复 SYN+ACK：确认客户端的 SYN 并发送自己的初始序列号。' },
    { ...handshakeTcp[2]!, t: 0.000031, en: 'The client acknowledges the server’s SYN; the TCP connection is established after 0.02 ms.', zh: '客户端确认服务器的 SYN；0.02 ms 后 TCP 连接建立。' },
    {
      t: 0.001518, from: 'client', packets: [4], label: 'ClientHello (SNI example.com, TLS 1.3, key share x25519)', kind: 'tls-handshake', phase: 'tls-handshake', c: 'ESTABLISHED', s: 'ESTABLISHED',
      en: 'The client offers TLS 1.3 in supported_versions and already sends an x25519 key share, so the server can answer in one round trip.',
      zh: '客户端在 supported_versions 中提供 TLS 1.3，并直接发送 x25519 密钥份额，使服务器可以在一个往返内完成应答。',
    },
    {
      t: 0.002768, from: 'server', packets: [6], label: 'ServerHello, ChangeCipherSpec, {EncryptedExtensions, Certificate, CertificateVerify, Finished}', kind: 'tls-handshake', phase: 'tls-handshake', c: 'ESTABLISHED', s: 'ESTABLISHED',
      en: 'The server picks TLS_AES_256_GCM_SHA384 and its own key share; everything after ServerHello is encrypted with handshake keys. The ChangeCipherSpec is only for middlebox compatibility.',
      zh: '服务器选择 TLS_AES_256_GCM_SHA384 和自己的密钥份额；ServerHello 之后的内容都用握手密钥加密。ChangeCipherSpec 只是为了兼容中间设备。',
    },
    {
      t: 0.003608, from: 'client', packets: [8], label: 'ChangeCipherSpec, {Finished}', kind: 'tls-ccs', phase: 'tls-handshake', c: 'ESTABLISHED', s: 'ESTABLISHED',
      en: 'The client checks the certificate and the server’s Finished, then sends its own Finished. The TLS 1.3 handshake took one round trip.',
      zh: '客户端检查证书和服务器的 Finished，然后发送自己的 Finished。TLS 1.3 握手只用了一个往返。',
    },
    {
      t: 0.003717, from: 'server', packets: [9, 10], label: '{NewSessionTicket} ×2', kind: 'tls-handshake', phase: 'tls-handshake', c: 'ESTABLISHED', s: 'ESTABLISHED',
      en: 'After the handshake the server hands out two session tickets; a later connection can resume with a pre-shared key.',
      zh: '握手之后服务器发放两张会话票据；之后的连接可以用预共享密钥恢复会话。',
    },
    {
      t: 0.003836, from: 'client', packets: [11], label: 'GET /', kind: 'http-request', phase: 'application-data', c: 'ESTABLISHED', s: 'ESTABLISHED',
      en: 'The HTTP request travels as TLS application data, decrypted here with the secrets embedded in the pcapng file.',
      zh: 'HTTP 请求作为 TLS 应用数据传输，这里用 pcapng 文件中嵌入的密钥解密。',
    },
    {
      t: 0.00392, from: 'server', packets: [12], label: '200 OK text/html 4,322 bytes', kind: 'http-response', phase: 'application-data', c: 'ESTABLISHED', s: 'ESTABLISHED',
      en: 'The server answers 200 OK, 0.08 ms after the request.',
      zh: '服务器在请求后 0.08 ms 回复 200 OK。',
    },
    {
      t: 0.00393, from: 'server', packets: [13], label: 'Alert (warning): close_notify', kind: 'tls-close', phase: 'teardown', c: 'ESTABLISHED', s: 'ESTABLISHED',
      en: 'The server closes the TLS session with close_notify.',
      zh: '服务器用 close_notify 关闭 TLS 会话。',
    },
    {
      t: 0.004036, from: 'client', packets: [15], label: 'Alert (warning): close_notify', kind: 'tls-close', phase: 'teardown', c: 'ESTABLISHED', s: 'ESTABLISHED',
      en: 'The client answers with its own close_notify.',
      zh: '客户端回复自己的 close_notify。',
    },
    {
      t: 0.004059, from: 'server', packets: [16], label: 'FIN, ACK', kind: 'tcp-control', phase: 'teardown', c: 'CLOSE_WAIT', s: 'FIN_WAIT_1',
      en: 'The server starts the TCP close.',
      zh: '服务器开始关闭 TCP 连接。',
    },
    {
      t: 0.004084, from: 'client', packets: [17], label: 'FIN, ACK', kind: 'tcp-control', phase: 'teardown', c: 'LAST_ACK', s: 'TIME_WAIT',
      en: 'The client acknowledges and closes its side too.',
      zh: '客户端确认并同时关闭自己这一侧。',
    },
    {
      t: 0.004093, from: 'server', packets: [18], label: 'ACK', kind: 'ack', phase: 'teardown', c: 'CLOSED', s: 'TIME_WAIT',
      en: 'The last ACK: the client is CLOSED, the server stays in TIME_WAIT.',
      zh: '最后一个 ACK：客户端进入 CLOSED，服务器停留在 TIME_WAIT。',
    },
  ],
  brackets: [
    { label: 'TCP RTT', fromStep: 1, toStep: 2, seconds: 0.000019 },
    { label: 'TLS RTT', fromStep: 4, toStep: 5, seconds: 0.00125 },
  ],
  verdict: { status: 'complete', reason: 'TLS 1.3 handshake in one round trip, one HTTP request answered', findings: ['2 session tickets issued (resumption possible)'] },
  verdictZh: { status: 'complete', reason: 'TLS 1.3 握手一个往返完成，一个 HTTP 请求得到应答', findings: ['发放了 2 张会话票据（可恢复会话）'] },
  facts: [
    { label: 'TLS', value: '1.3' },
    { label: 'Cipher suite', value: 'TLS_AES_256_GCM_SHA384' },
    { label: 'SNI', value: 'example.com' },
    { label: 'ALPN', value: 'http/1.1' },
    { label: 'Key exchange', value: 'x25519' },
  ],
};

// ---- Failed mutual TLS: no client certificate (corpus/local/mtls12-nocert.pcap) -----------------

const failed: ModelSpec = {
  title: 'TLS 1.2 handshake failure: no client certificate',
  capture: 'mtls12-nocert.pcap',
  stream: 0,
  client: ['127.0.0.1', 40944],
  server: ['127.0.0.1', 8445],
  startEpoch: 1795391180.501211,
  steps: [
    { ...handshakeTcp[0]!, t: 0 },
    { ...handshakeTcp[1]!, t: 0.000113, en: 'The server, listening on port 8445, answers with SYN+ACK.', zh: '服务器在 8445 端口监听，回复 SYN+ACK。' },
    { ...handshakeTcp[2]!, t: 0.000125, en: 'The client acknowledges; the TCP connection is established.', zh: '客户端确认；TCP 连接建立。' },
    {
      t: 0.001411, from: 'client', packets: [4], label: 'ClientHello (SNI example.com, 29 suites)', kind: 'tls-handshake', phase: 'tls-handshake', c: 'ESTABLISHED', s: 'ESTABLISHED',
      en: 'The client offers TLS 1.2 and 29 cipher suites.',
      zh: '客户端提供 TLS 1.2 和 29 个密码套件。',
    },
    {
      t: 0.00236, from: 'server', packets: [6], label: 'ServerHello, Certificate, ServerKeyExchange, CertificateRequest, ServerHelloDone', kind: 'tls-handshake', phase: 'tls-handshake', c: 'ESTABLISHED', s: 'ESTABLISHED',
      en: 'The server requires a client certificate: its CertificateRequest lists the certificate types and CAs it accepts.',
      zh: '服务器要求客户端证书：CertificateRequest 列出了它接受的证书类型和 CA。',
    },
    {
      t: 0.003234, from: 'client', packets: [8], label: 'Certificate (empty), ClientKeyExchange, ChangeCipherSpec, Finished', kind: 'tls-handshake', phase: 'tls-handshake', c: 'ESTABLISHED', s: 'ESTABLISHED',
      en: 'The client has no certificate to offer and sends an empty Certificate message, then continues the handshake without CertificateVerify.',
      zh: '客户端没有可提供的证书，发送了空的 Certificate 消息，然后在没有 CertificateVerify 的情况下继续握手。',
    },
    {
      t: 0.003258, from: 'server', packets: [9], label: 'Alert (fatal): handshake_failure', kind: 'tls-alert', phase: 'tls-handshake', c: 'ESTABLISHED', s: 'ESTABLISHED',
      en: 'The server rejects the handshake with a fatal handshake_failure alert because the client did not authenticate. No application data was exchanged.',
      zh: '由于客户端没有进行身份验证，服务器用致命的 handshake_failure 告警拒绝了握手。没有交换任何应用数据。',
    },
    {
      t: 0.003281, from: 'server', packets: [10], label: 'FIN, ACK seq=2132 ack=308', kind: 'tcp-control', phase: 'teardown', c: 'CLOSE_WAIT', s: 'FIN_WAIT_1',
      en: 'Right after the alert the server closes the connection.',
      zh: '发送告警后服务器立即关闭连接。',
    },
    {
      t: 0.003336, from: 'client', packets: [11], label: 'FIN, ACK seq=308 ack=2133', kind: 'tcp-control', phase: 'teardown', c: 'LAST_ACK', s: 'TIME_WAIT',
      en: 'The client closes its side as well.',
      zh: '客户端也关闭自己这一侧。',
    },
    {
      t: 0.003346, from: 'server', packets: [12], label: 'ACK seq=2133 ack=309', kind: 'ack', phase: 'teardown', c: 'CLOSED', s: 'TIME_WAIT',
      en: 'The connection is closed.',
      zh: '连接已关闭。',
    },
  ],
  brackets: [
    { label: 'TCP RTT', fromStep: 1, toStep: 2, seconds: 0.000113 },
    { label: 'TLS RTT', fromStep: 4, toStep: 5, seconds: 0.000949 },
  ],
  verdict: {
    status: 'failed',
    reason: 'handshake_failure after an empty client Certificate: the server requires a client certificate',
    findings: ['Configure the client with a certificate signed by a CA the server trusts.'],
  },
  verdictZh: {
    status: 'failed',
    reason: 'handshake_failure：客户端发送了空的 Certificate，而服务器要求客户端证书',
    findings: ['请为客户端配置由服务器信任的 CA 签发的证书。'],
  },
  facts: [
    { label: 'TLS', value: '1.2' },
    { label: 'Cipher suite', value: 'TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384' },
    { label: 'SNI', value: 'example.com' },
    { label: 'Alert', value: 'fatal handshake_failure (40)' },
  ],
};

// ---- Long HTTP/1.1 keep-alive with folded application data (after http11-keepalive.pcap) --------

function keepAliveSteps(): StepSpec[] {
  const est = { c: 'ESTABLISHED', s: 'ESTABLISHED' } as const;
  const tcp = [
    { ...handshakeTcp[0]!, t: 0 },
    { ...handshakeTcp[1]!, t: 0.000118, en: 'The server, listening on port 8080, answers with SYN+ACK.', zh: '服务器在 8080 端口监听，回复 SYN+ACK。' },
    { ...handshakeTcp[2]!, t: 0.000134, en: 'The client acknowledges; the connection is established. This is plain HTTP: no TLS.', zh: '客户端确认；连接建立。这是明文 HTTP：没有 TLS。' },
  ];
  const app: StepSpec[] = [
    { t: 0.000626, from: 'client', packets: [4], label: 'GET /', kind: 'http-request', phase: 'application-data', ...est,
      en: 'The first request on the connection; HTTP/1.1 keeps the connection open for further requests by default.', zh: '连接上的第一个请求；HTTP/1.1 默认保持连接，以便发送后续请求。' },
    { t: 0.007209, from: 'server', packets: [6, 8], label: '200 OK text/html 202 bytes', kind: 'http-response', phase: 'application-data', ...est,
      en: 'The server needed 6.6 ms to answer; headers and body came in two segments.', zh: '服务器用了 6.6 ms 应答；头部和正文分两个报文段到达。' },
    { t: 0.007533, from: 'client', packets: [10], label: 'GET /index.html', kind: 'http-request', phase: 'application-data', ...est,
      en: 'The client reuses the same connection for the next request: no new handshake is needed.', zh: '客户端复用同一连接发送下一个请求：不需要新的握手。' },
    { t: 0.050668, from: 'server', packets: [11, 13], label: '200 OK text/html 202 bytes', kind: 'http-response', phase: 'application-data', ...est,
      en: 'The body segment arrived 43 ms after the headers: the server delayed it (Nagle’s algorithm meeting the client’s delayed ACK).', zh: '正文报文段比头部晚 43 ms 到达：服务器推迟了发送（Nagle 算法遇上客户端的延迟 ACK）。' },
    { t: 0.051204, from: 'client', packets: [15, 17, 19, 21, 23, 25, 27, 29, 31, 33, 35, 37], label: 'GET /assets/* ×12', kind: 'http-request', phase: 'application-data', ...est,
      folded: { packets: 12, bytes: 1116 },
      en: 'Twelve requests for images and scripts, folded into one step.', zh: '十二个图片和脚本请求，合并为一步显示。' },
    { t: 0.094512, from: 'server', packets: [16, 18, 20, 22, 24, 26, 28, 30, 32, 34, 36, 38, 39, 40, 41, 42, 43, 44, 45, 46], label: '200 OK ×12', kind: 'http-response', phase: 'application-data', ...est,
      folded: { packets: 20, bytes: 184320 },
      en: 'The twelve responses, 184 kB in 20 segments, folded into one step.', zh: '十二个响应，共 184 kB、20 个报文段，合并为一步显示。' },
    { t: 2.196734, from: 'client', packets: [48], label: 'GET /api/status?since=1795391127&fields=a,b', kind: 'http-request', phase: 'application-data', ...est,
      en: 'After 2.1 s of idle time the client sends one more request on the kept-alive connection.', zh: '空闲 2.1 s 后，客户端在保持的连接上再发送一个请求。' },
    { t: 2.198019, from: 'server', packets: [49], label: '200 OK application/json 57 bytes', kind: 'http-response', phase: 'application-data', ...est,
      en: 'A small JSON answer.', zh: '一个很小的 JSON 应答。' },
    { t: 7.198544, from: 'server', packets: [51], label: 'FIN, ACK', kind: 'tcp-control', phase: 'teardown', c: 'CLOSE_WAIT', s: 'FIN_WAIT_1',
      en: 'After 5 s without a request the server’s keep-alive timeout expires and it closes the connection.', zh: '5 s 内没有新请求，服务器的 keep-alive 超时到期，关闭连接。' },
    { t: 7.198601, from: 'client', packets: [52], label: 'FIN, ACK', kind: 'tcp-control', phase: 'teardown', c: 'LAST_ACK', s: 'TIME_WAIT',
      en: 'The client closes its side too.', zh: '客户端也关闭自己这一侧。' },
    { t: 7.19862, from: 'server', packets: [53], label: 'ACK', kind: 'ack', phase: 'teardown', c: 'CLOSED', s: 'TIME_WAIT',
      en: 'Connection closed.', zh: '连接已关闭。' },
  ];
  return [...tcp, ...app];
}

const keepAlive: ModelSpec = {
  title: 'HTTP/1.1 keep-alive',
  capture: 'http11-keepalive.pcap',
  stream: 0,
  client: ['127.0.0.1', 55680],
  server: ['127.0.0.1', 8080],
  startEpoch: 1795391300.100018,
  steps: keepAliveSteps(),
  brackets: [
    { label: 'TCP RTT', fromStep: 1, toStep: 2, seconds: 0.000118 },
    { label: 'TTFB', fromStep: 4, toStep: 5, seconds: 0.006583 },
  ],
  verdict: { status: 'complete', reason: '16 HTTP requests on one kept-alive connection, closed by the server after 5 s idle', findings: [] },
  verdictZh: { status: 'complete', reason: '一个保持的连接上共 16 个 HTTP 请求，空闲 5 s 后由服务器关闭', findings: [] },
  facts: [
    { label: 'HTTP', value: '1.1' },
    { label: 'Requests', value: '16' },
    { label: 'Bytes', value: '→ 1.9 kB, ← 185 kB' },
  ],
};

// ---- Reset: retransmitted SYN, then RST after the ClientHello ------------------------------------

const reset: ModelSpec = {
  title: 'Connection reset during the TLS handshake',
  capture: 'reset.pcapng',
  stream: 3,
  client: ['10.0.0.5', 51234],
  server: ['10.0.0.9', 443],
  startEpoch: 1795392000.25,
  steps: [
    { ...handshakeTcp[0]!, t: 0 },
    {
      t: 1.001853, from: 'client', packets: [2], label: 'SYN seq=0 (retransmission)', kind: 'retransmission', phase: 'tcp-handshake', c: 'SYN_SENT', s: 'LISTEN',
      en: 'No SYN+ACK came back within the initial retransmission timeout (1 s), so the client sends the SYN again.',
      zh: '在初始重传超时（1 s）内没有收到 SYN+ACK，客户端再次发送 SYN。',
    },
    { ...handshakeTcp[1]!, packets: [3], t: 1.013377, en: 'The server answers the second SYN, 11.5 ms later.', zh: '服务器在 11.5 ms 后应答第二个 SYN。' },
    { ...handshakeTcp[2]!, packets: [4], t: 1.013402, en: 'The connection is established, one second late because of the lost SYN.', zh: '连接建立，但由于第一个 SYN 丢失晚了一秒。' },
    {
      t: 1.014921, from: 'client', packets: [5], label: 'ClientHello (SNI intranet.example, 17 suites)', kind: 'tls-handshake', phase: 'tls-handshake', c: 'ESTABLISHED', s: 'ESTABLISHED',
      en: 'The client starts a TLS handshake for intranet.example.',
      zh: '客户端开始与 intranet.example 进行 TLS 握手。',
    },
    {
      t: 1.026518, from: 'server', packets: [6], label: 'RST, ACK seq=1 ack=518', kind: 'rst', phase: 'reset', c: 'CLOSED', s: 'CLOSED',
      en: 'The server aborts the connection with RST instead of answering: often a firewall or a server that refuses this SNI. Both ends drop the connection immediately, without FIN.',
      zh: '服务器没有应答，而是用 RST 中止连接：常见原因是防火墙或服务器拒绝该 SNI。双方立即丢弃连接，不经过 FIN。',
    },
  ],
  brackets: [{ label: 'TCP RTT', fromStep: 2, toStep: 3, seconds: 0.011524 }],
  verdict: {
    status: 'failed',
    reason: 'connection reset by the server after the ClientHello',
    findings: ['SYN retransmitted once (1.0 s lost)'],
  },
  verdictZh: { status: 'failed', reason: '服务器在 ClientHello 之后重置了连接', findings: ['SYN 重传一次（损失 1.0 s）'] },
  facts: [
    { label: 'TLS', value: 'handshake not completed' },
    { label: 'SNI', value: 'intranet.example' },
  ],
};

export type FixtureName = 'mtls12' | 'tls13' | 'failed' | 'keepalive' | 'reset';

const specs: Record<FixtureName, ModelSpec> = { mtls12, tls13, failed, keepalive: keepAlive, reset };

export const fixtureNames: FixtureName[] = ['mtls12', 'tls13', 'failed', 'keepalive', 'reset'];

/** A complete ladder model of one of the fixture conversations. */
export function fixtureModel(name: FixtureName, language: Language = 'en'): LadderModel {
  return model(specs[name], language);
}

/** The TLS 1.2 mutual-authentication conversation (18 steps, 2 annotations, 3 RTT brackets). */
export const mtls12Model = (language: Language = 'en'): LadderModel => fixtureModel('mtls12', language);
export const tls13Model = (language: Language = 'en'): LadderModel => fixtureModel('tls13', language);
export const failedModel = (language: Language = 'en'): LadderModel => fixtureModel('failed', language);
export const keepAliveModel = (language: Language = 'en'): LadderModel => fixtureModel('keepalive', language);
export const resetModel = (language: Language = 'en'): LadderModel => fixtureModel('reset', language);
