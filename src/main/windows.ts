// Our windows and what each may touch: the sessions it shows and the files the user granted.
// Implements the adapter's AccessControl; the sender check compares frame origin and window identity.

import { resolve } from 'node:path';
import type { BrowserWindow } from 'electron';
import type { AccessControl, Caller, InvokeEventLike } from './ipc-adapter';

export class AppWindow implements Caller {
  readonly sessions = new Set<string>();
  /** The session shown now (the last one adopted). */
  current: string | null = null;
  /** What the window showed before `current` (a capture it starts may go to a new window instead). */
  previous: string | null = null;
  /** The bundled sample this window opened by itself; replaced when the user opens a file. */
  sample: string | null = null;
  /** Resolves with the session the window starts with (command-line file, sample), or null. */
  initial: Promise<string | null>;
  closeConfirmed = false;
  private settle: (s: string | null) => void = () => undefined;

  constructor(readonly win: BrowserWindow) {
    this.initial = new Promise((r) => (this.settle = r));
  }

  get id(): number {
    return this.win.webContents.id;
  }

  owns(session: string): boolean {
    return this.sessions.has(session);
  }

  adopt(session: string): void {
    this.sessions.add(session);
    if (session !== this.current) this.previous = this.current;
    this.current = session;
  }

  /**
   * Where a capture this window started (and adopted) is shown: here when the window showed nothing
   * or only the sample before — the rule for opened files (`replaceable`) — else in a new window.
   */
  capturePlacement(session: string): 'here' | 'new-window' {
    const before = this.current === session ? this.previous : this.current;
    return before === null || before === this.sample ? 'here' : 'new-window';
  }

  /** Hands a session over to another window: this one goes back to what it showed before. */
  release(session: string): void {
    this.sessions.delete(session);
    if (this.current === session) {
      this.current = this.previous;
      this.previous = null;
    }
  }

  setInitial(session: string | null): void {
    if (session !== null) this.adopt(session);
    this.settle(session);
  }

  send(channel: string, payload: unknown): void {
    if (!this.win.isDestroyed()) this.win.webContents.send(channel, payload);
  }

  /** True when opening a file here should replace what it shows instead of opening a new window. */
  get replaceable(): boolean {
    return this.current === null || this.current === this.sample;
  }
}

export class WindowRegistry implements AccessControl {
  private readonly byContents = new Map<number, AppWindow>();
  private readonly readGrants = new Set<string>();
  private readonly writeGrants = new Set<string>();

  /** `trustedOrigin`: where our renderer is served from (app://wireladder, or the dev server). */
  constructor(private readonly trustedOrigin: string) {}

  add(win: BrowserWindow): AppWindow {
    const w = new AppWindow(win);
    const id = win.webContents.id;
    this.byContents.set(id, w);
    win.on('closed', () => this.byContents.delete(id));
    return w;
  }

  of(win: BrowserWindow | null): AppWindow | null {
    if (win === null || win.isDestroyed()) return null;
    return this.byContents.get(win.webContents.id) ?? null;
  }

  all(): AppWindow[] {
    return [...this.byContents.values()];
  }

  grantRead(path: string): string {
    const p = resolve(path);
    this.readGrants.add(p);
    return p;
  }

  grantWrite(path: string): string {
    const p = resolve(path);
    this.writeGrants.add(p);
    return p;
  }

  callerOf(event: InvokeEventLike): Caller | null {
    const w = this.byContents.get(event.sender.id);
    if (w === undefined || event.senderFrame === null) return null;
    return originOf(event.senderFrame.url) === this.trustedOrigin ? w : null;
  }

  ownersOf(session: string): Caller[] {
    return this.all().filter((w) => w.owns(session));
  }

  isReadGranted(path: string): boolean {
    return this.readGrants.has(resolve(path));
  }

  isWriteGranted(path: string): boolean {
    return this.writeGrants.has(resolve(path));
  }
}

export function originOf(url: string): string {
  try {
    const u = new URL(url);
    // Custom standard schemes report origin 'null' in Node's URL: build it from the parts.
    return `${u.protocol}//${u.host}`;
  } catch {
    return '';
  }
}
