// Browser-mode downloads: an export becomes a Blob the browser saves.

import type { ExportResult } from '../../../shared/api';

export function base64ToBytes(b64: string): Uint8Array<ArrayBuffer> {
  const bin = atob(b64);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

export function exportBlob(result: ExportResult): Blob {
  const body = result.encoding === 'base64' ? base64ToBytes(result.data) : result.data;
  return new Blob([body], { type: result.mime });
}

export function downloadUrl(href: string, fileName: string): void {
  const a = document.createElement('a');
  a.href = href;
  a.download = fileName;
  a.rel = 'noopener';
  document.body.appendChild(a);
  a.click();
  a.remove();
}

export function downloadExport(result: ExportResult): string {
  const url = URL.createObjectURL(exportBlob(result));
  downloadUrl(url, result.fileName);
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
  return result.fileName;
}
