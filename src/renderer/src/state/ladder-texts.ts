// The ladder view's own words (the step panel's labels, phases, annotation buttons) in the ladder's
// language: the explanations come from the engine in English or Simplified Chinese, the panel
// around them follows.

import type { Language, Phase } from '../../../shared/api';

export interface LadderTexts {
  direction: string;
  time: string;
  phase: string;
  tcpStates: string;
  packets: string;
  client: string;
  server: string;
  folded(packets: number, bytes: number): string;
  annotations: string;
  noNotes: string;
  edit: string;
  remove: string;
  addNote: string;
  saveNote: string;
  cancel: string;
  packet: string;
  notePlaceholder: string;
  steps(n: number): string;
  howTo: string;
  phaseSteps(first: number, last: number): string;
  phases: Record<Phase, string>;
  /** Phase names for a band too short for the full one. */
  phasesShort: Record<Phase, string>;
  showInList: string;
}

const en: LadderTexts = {
  direction: 'Direction',
  time: 'Time',
  phase: 'Phase',
  tcpStates: 'TCP states',
  packets: 'Packets',
  client: 'client',
  server: 'server',
  folded: (p, b) => `${p} packets, ${b} bytes folded`,
  annotations: 'Annotations',
  noNotes: 'None yet. Notes are saved as pcapng packet comments.',
  edit: 'Edit',
  remove: 'Remove',
  addNote: 'Add a note',
  saveNote: 'Save note',
  cancel: 'Cancel',
  packet: 'Packet',
  notePlaceholder: 'What should a reader notice here?',
  steps: (n) => `${n} steps`,
  howTo: 'Click a step to read what it means for this connection. Hover a step to see its packets.',
  phaseSteps: (a, b) => `steps ${a}–${b}`,
  phases: { 'tcp-handshake': 'TCP handshake', 'tls-handshake': 'TLS handshake', 'application-data': 'Application data', teardown: 'Teardown', reset: 'Reset' },
  phasesShort: { 'tcp-handshake': 'TCP', 'tls-handshake': 'TLS', 'application-data': 'Data', teardown: 'Close', reset: 'RST' },
  showInList: 'Show in the packet list',
};

const zh: LadderTexts = {
  direction: '方向',
  time: '时间',
  phase: '阶段',
  tcpStates: 'TCP 状态',
  packets: '数据包',
  client: '客户端',
  server: '服务器',
  folded: (p, b) => `已折叠 ${p} 个数据包，${b} 字节`,
  annotations: '批注',
  noNotes: '暂无批注。批注保存为 pcapng 数据包注释。',
  edit: '编辑',
  remove: '删除',
  addNote: '添加批注',
  saveNote: '保存批注',
  cancel: '取消',
  packet: '数据包',
  notePlaceholder: '读者在这里应注意什么？',
  steps: (n) => `共 ${n} 步`,
  howTo: '点击一步，查看它对这条连接意味着什么；把鼠标移到一步上，可看到它的数据包。',
  phaseSteps: (a, b) => `第 ${a}–${b} 步`,
  phases: { 'tcp-handshake': 'TCP 握手', 'tls-handshake': 'TLS 握手', 'application-data': '应用数据', teardown: '连接关闭', reset: '连接重置' },
  phasesShort: { 'tcp-handshake': 'TCP', 'tls-handshake': 'TLS', 'application-data': '数据', teardown: '关闭', reset: '重置' },
  showInList: '在数据包列表中显示',
};

export function ladderTexts(language: Language): LadderTexts {
  return language === 'zh-CN' ? zh : en;
}
