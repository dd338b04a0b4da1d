import { watch, type FSWatcher } from 'node:fs';
import { basename, join } from 'node:path';

export interface FolderWatch {
  close(): void;
}

/**
 * fs.watch on the migrations folder, debounced: calls onChange once things settle, with the paths
 * that changed (null in the list when the platform did not say which). onError: the watch stopped
 * or could not start (the caller falls back to polling).
 */
export function watchFolder(dir: string, onChange: (changed: (string | null)[]) => void, onError: (err: unknown) => void, debounceMs = 150): FolderWatch {
  const changed = new Set<string | null>();
  let timer: NodeJS.Timeout | undefined;
  let watcher: FSWatcher | undefined;
  try {
    watcher = watch(dir, { persistent: false }, (_event, filename) => {
      changed.add(filename ? join(dir, basename(String(filename))) : null);
      clearTimeout(timer);
      timer = setTimeout(() => {
        const list = [...changed];
        changed.clear();
        onChange(list);
      }, debounceMs);
    });
    watcher.on('error', onError);
  } catch (err) {
    onError(err);
  }
  return {
    close() {
      clearTimeout(timer);
      watcher?.close();
    },
  };
}
