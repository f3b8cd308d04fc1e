// Messages between the engine worker thread and its owner (Electron main or `wireladder serve`).

export interface CallMessage {
  type: 'call';
  id: number;
  method: string;
  arg: unknown;
}

/** The owner's watchdog asks whether the worker's event loop is free (worker-client.ts). */
export interface PingMessage {
  type: 'ping';
  id: number;
}

export interface PongMessage {
  type: 'pong';
  id: number;
}

export type ToWorker = CallMessage | PingMessage;

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

export type FromWorker = ReplyMessage | EventMessage | PongMessage;
