// Browser mode's Open: a file picker and drag-and-drop onto the window, each uploading the capture
// to the server (a private copy there) and showing it here — without restarting `wireladder serve`.

import { useCallback, useEffect, useRef, useState } from 'react';
import type { SessionInfo } from '../../../shared/api';
import type { AppClient } from '../transport/types';
import { errorText } from './format';

export function useUpload(client: AppClient, enabled: boolean, onOpened: (info: SessionInfo) => void, notify: (tone: 'info' | 'error', text: string) => void) {
  const [progress, setProgress] = useState<{ name: string; fraction: number } | null>(null);
  const [dragging, setDragging] = useState(false);
  const depth = useRef(0);

  const send = useCallback(
    async (file: File) => {
      if (client.uploadCapture === undefined) return;
      setProgress({ name: file.name, fraction: 0 });
      try {
        const info = await firstLook(client, await client.uploadCapture(file, (fraction) => setProgress({ name: file.name, fraction })));
        // Not a capture at all: say why and keep the capture on screen, as Wireshark's open does.
        if (info.error !== null && info.packets === 0 && !info.loading) {
          await client.call('closeSession', { session: info.session }).catch(() => undefined);
          const why = info.error.startsWith(`${info.fileName}: `) ? info.error.slice(info.fileName.length + 2) : info.error;
          notify('error', `${file.name} could not be opened: ${why}`);
          return;
        }
        onOpened(info);
      } catch (err) {
        notify('error', `${file.name} could not be opened: ${errorText(err)}`);
      } finally {
        setProgress(null);
      }
    },
    [client, onOpened, notify],
  );

  /** The browser's file picker (an input element made for the one choice). */
  const pick = useCallback(() => {
    const input = document.createElement('input');
    input.type = 'file';
    input.accept = '.pcap,.pcapng,.cap,.gz,.pcap.gz,.pcapng.gz';
    input.setAttribute('data-testid', 'upload-input');
    input.style.display = 'none';
    input.addEventListener('change', () => {
      const file = input.files?.[0];
      input.remove();
      if (file !== undefined) void send(file);
    });
    document.body.appendChild(input);
    input.click();
  }, [send]);

  // Drag and drop anywhere on the window.
  useEffect(() => {
    if (!enabled) return;
    const hasFiles = (e: DragEvent): boolean => e.dataTransfer?.types.includes('Files') === true;
    const enter = (e: DragEvent): void => {
      if (!hasFiles(e)) return;
      e.preventDefault();
      depth.current++;
      setDragging(true);
    };
    const over = (e: DragEvent): void => {
      if (hasFiles(e)) e.preventDefault();
    };
    const leave = (e: DragEvent): void => {
      if (!hasFiles(e)) return;
      depth.current = Math.max(0, depth.current - 1);
      if (depth.current === 0) setDragging(false);
    };
    const drop = (e: DragEvent): void => {
      if (!hasFiles(e)) return;
      e.preventDefault();
      depth.current = 0;
      setDragging(false);
      const file = e.dataTransfer?.files[0];
      if (file !== undefined) void send(file);
    };
    window.addEventListener('dragenter', enter);
    window.addEventListener('dragover', over);
    window.addEventListener('dragleave', leave);
    window.addEventListener('drop', drop);
    return () => {
      window.removeEventListener('dragenter', enter);
      window.removeEventListener('dragover', over);
      window.removeEventListener('dragleave', leave);
      window.removeEventListener('drop', drop);
    };
  }, [enabled, send]);

  return { pick, send, progress, dragging };
}

/**
 * The session once reading has got somewhere: a file that is no capture fails on its first bytes,
 * so a short wait tells it from a capture still loading (which is shown at once after that).
 */
async function firstLook(client: AppClient, info: SessionInfo): Promise<SessionInfo> {
  let now = info;
  for (let i = 0; i < 20 && now.loading && now.packets === 0 && now.error === null; i++) {
    await new Promise((ok) => setTimeout(ok, 50));
    now = await client.call('sessionInfo', { session: info.session });
  }
  return now;
}
