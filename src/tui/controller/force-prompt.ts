import type { Version } from '../../formats/types.js';
import { selectedRow } from '../reducer.js';
import type { Store } from '../store.js';

/** golang-migrate's typed force: asks for the version, hinting at the selected one. */
export function openForcePrompt(store: Store): void {
  const row = selectedRow(store.getState());
  const hint = row ? `selected: ${row.version}; -1 = no version` : '-1 = no version';
  store.dispatch({ type: 'prompt-open', hint });
}

/** The typed version, closing the prompt; or undefined, with the prompt saying what is wrong. */
export function submitForcePrompt(store: Store): Version | undefined {
  const v = store.getState().prompt.value.trim();
  if (!/^-?\d+$/.test(v)) {
    store.dispatch({ type: 'prompt-error', message: 'type a version number, or -1 for none' });
    return undefined;
  }
  const version = BigInt(v).toString();
  if (BigInt(version) < -1n) {
    store.dispatch({ type: 'prompt-error', message: 'the version must be -1 or more' });
    return undefined;
  }
  store.dispatch({ type: 'prompt-close' });
  return version;
}
