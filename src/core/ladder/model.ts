// The handshake ladder of one conversation as data: steps, states, phases, RTT brackets, verdict.
// Renderers (SVG, Mermaid, the UI) draw this; nothing here knows about drawing.

import type { DiagnosisFacts } from '../engine/diagnosis-facts';
import type { Verdict } from '../flow/verdict';

export type StepKind =
  | 'tcp-control'
  | 'tcp-data'
  | 'ack'
  | 'tls-handshake'
  | 'tls-ccs'
  | 'tls-alert'
  /** A TLS session ended in order: close_notify, or an encrypted alert once the handshake is done. */
  | 'tls-close'
  | 'tls-app-data'
  | 'http-request'
  | 'http-response'
  | 'retransmission'
  | 'rst'
  /** HTTP/2 connection management: the preface, SETTINGS and ACKs, PING, WINDOW_UPDATE, GOAWAY without error. */
  | 'http2-control'
  /** HTTP/2 RST_STREAM, or GOAWAY with an error code. */
  | 'http2-reset';

export type Phase = 'tcp-handshake' | 'tls-handshake' | 'application-data' | 'teardown' | 'reset';

export type TcpStateName =
  | 'CLOSED'
  | 'LISTEN'
  | 'SYN_SENT'
  | 'SYN_RECEIVED'
  | 'ESTABLISHED'
  | 'FIN_WAIT_1'
  | 'FIN_WAIT_2'
  | 'CLOSING'
  | 'TIME_WAIT'
  | 'CLOSE_WAIT'
  | 'LAST_ACK';

export type Side = 'client' | 'server';

export type Language = 'en' | 'zh-CN';

export interface LadderEndpoint {
  address: string;
  port: number;
  /** `192.0.2.1:443` ([v6]:port for IPv6). */
  label: string;
  role: Side;
}

export interface LadderStep {
  /** 1-based step number as printed on the diagram. */
  index: number;
  /** Seconds since the conversation's first packet. */
  time: number;
  from: Side;
  /** Frame numbers (1-based) this step covers. */
  packets: number[];
  label: string;
  kind: StepKind;
  phase: Phase;
  /** Flight number: consecutive steps from one side before the other answers. */
  flight: number;
  /** TCP state of each end after this step. */
  clientState: TcpStateName;
  serverState: TcpStateName;
  /** Ends whose state changed at this step. */
  clientStateChanged: boolean;
  serverStateChanged: boolean;
  /** 1–3 sentences true for this connection. */
  explanation: string;
  /** User annotations (pcapng comments) on the step's packets. */
  annotations: { packet: number; text: string }[];
  /** Collapsed application data: how many packets and payload bytes this summarised step stands for. */
  folded: { packets: number; bytes: number } | null;
  /** Pure ACKs (frame numbers) folded away after this step when ACKs are not shown. */
  foldedAcks?: number[];
  /** HTTP/2 WINDOW_UPDATE/PING packets (frame numbers) folded away when control frames are not shown. */
  foldedControl?: number[];
  /** Malformed bytes in this step's packets: drawn marked, and said in the explanation. */
  problem?: string;
  /**
   * The sentences of the explanation as keys and values (the text tables' keys): what the step
   * claims, in a form tests check against the diagnosis.
   */
  says?: { key: string; values: Record<string, string | number> }[];
}

/** Bytes the capture does not have: drawn as a break in the sender's line before `beforeStep`. */
export interface LadderHole {
  beforeStep: number;
  side: Side;
  bytes: number;
  /** The packet after the hole. */
  frame: number;
}

export interface RttBracket {
  label: string;
  /** Step indexes (1-based) the bracket spans. */
  fromStep: number;
  toStep: number;
  seconds: number;
}

export interface PhaseSpan {
  phase: Phase;
  firstStep: number;
  lastStep: number;
}

export type { Verdict, VerdictStatus } from '../flow/verdict';

export interface LadderModel {
  title: string;
  capture: string;
  /** Conversation id and its tcp.stream / udp.stream number. */
  conversation: number;
  stream: number;
  protocol: 'TCP' | 'UDP';
  client: LadderEndpoint;
  server: LadderEndpoint;
  /** Epoch seconds of the first packet (for absolute times in exports). */
  startEpoch: number;
  steps: LadderStep[];
  brackets: RttBracket[];
  holes: LadderHole[];
  phases: PhaseSpan[];
  verdict: Verdict;
  /** The facts the verdict was judged on (engine/diagnosis.ts); every step's sentences agree with them. */
  diagnosis: DiagnosisFacts;
  language: Language;
  /** Facts for the header: TLS version, cipher suite, SNI, ALPN, key exchange, resumed… */
  facts: { label: string; value: string }[];
  /** HTTP/2 on this connection: how many WINDOW_UPDATE/PING/PRIORITY frames "Show control frames" adds. */
  http2?: { controlFrames: number };
}

export interface LadderOptions {
  /** Show pure ACKs as their own steps (default: folded into the neighbouring steps). */
  showAcks: boolean;
  layout: 'time' | 'even';
  theme: 'light' | 'dark';
  language: Language;
  /** Collapse runs of application data longer than this many steps (0: never). */
  collapseAppData: number;
  /** HTTP/2: draw WINDOW_UPDATE, PING and PRIORITY frames as steps (default: folded away). */
  showControlFrames?: boolean;
}

export const defaultLadderOptions: LadderOptions = {
  showAcks: false,
  layout: 'time',
  theme: 'light',
  language: 'en',
  collapseAppData: 4,
};
