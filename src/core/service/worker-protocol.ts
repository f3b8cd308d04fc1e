// Messages between the engine worker thread and its owner (Electron main or `wireladder serve`).

export interface CallMessage {
  type: 'call';
  id: number;
  method: string;
  arg: unknown;
}

export interface ReplyMessage {
  type: 'reply';
  id: number;
  ok: boolean;
  value?: unknown;
  error?: { name: string; message: string };
}

export interface EventMessage {
  type: 'event';
  event: string;
  payload: unknown;
}

export type FromWorker = ReplyMessage | EventMessage;
