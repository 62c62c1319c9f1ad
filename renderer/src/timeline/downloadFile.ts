/**
 * Hand a file from the host to the user: a Blob behind a temporary <a download> (web mode saves
 * it to Downloads; Electron asks where with its save dialog).
 */
import type { DownloadableFile } from '../../../electron/common/timeline';

export function fileBytes(file: DownloadableFile): Uint8Array<ArrayBuffer> {
  if (file.encoding === 'utf8') return new TextEncoder().encode(file.data);
  const binary = atob(file.data);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

export function downloadFile(file: DownloadableFile): void {
  downloadBlob(new Blob([fileBytes(file)], { type: file.mimeType }), file.fileName);
}

/** Save bytes the renderer made itself (an exported image) under `fileName`. */
export function downloadBlob(blob: Blob, fileName: string): void {
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  link.style.display = 'none';
  document.body.append(link);
  link.click();
  link.remove();
  // The click has started the download; the URL may go once the browser has read it.
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}
