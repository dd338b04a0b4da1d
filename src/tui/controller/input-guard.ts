import type { Command, KeyInfo } from '../command.js';
import type { Mode, UiState } from '../state.js';
import type { Store } from '../store.js';

/** How long keys that change something are held off after a layer changed by itself. */
export const GUARD_MS = 1000;

const LAYER: Record<Mode, string> = {
  normal: 'the list',
  filter: 'the filter',
  help: 'the help',
  log: 'the log',
  history: 'the history',
  prompt: 'the prompt',
  command: 'the command line',
  detail: 'the detail view',
  planning: 'the planning line',
  plan: 'the plan',
  'dry-run': 'the dry run',
  running: 'the run',
  paused: 'the step pause',
  cancel: 'the cancel menu',
  recovery: 'the recovery guide',
  tool: 'the choice of tool',
};

/** Commands that change the database, start something or quit: never from a key meant for another layer. */
const CONSEQUENTIAL = new Set<Command['kind']>(['plan', 'goto-selected', 'force', 'force-submit', 'forget', 'repair', 'confirm', 'step-confirm', 'step-next', 'step-continue', 'cancel-now', 'quit', 'command-submit', 'baseline', 'dry-run']);

/**
 * A key belongs to the layer that was on screen when it was pressed. When a layer closes or opens by
 * itself (a run ends and takes its cancel menu along, the recovery guide opens), a key already on its
 * way was meant for the old layer: for a moment no key may change anything or quit. The footer shows
 * the pause, and the log names the key dropped, so the user presses it again on purpose.
 */
export class InputGuard {
  private since = -Infinity;
  private what = '';
  private inKey = false;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly ms: number,
    private readonly now: () => number,
    private readonly say: (text: string) => void,
    private readonly store: Store,
  ) {}

  /** Runs a key's effect; mode changes during it are the user's own. */
  keyed(fn: () => void): void {
    this.inKey = true;
    try {
      fn();
    } finally {
      this.inKey = false;
    }
  }

  afterDispatch(prev: UiState, next: UiState): void {
    if (this.ms <= 0 || prev.mode === next.mode) return;
    // The user moved on to another layer with a key of their own: they see where they are.
    if (this.inKey) {
      this.since = -Infinity;
      return;
    }
    // Leaving "planning" is the answer to the user's own key (and planning takes no key but esc).
    if (prev.mode === 'planning') return;
    this.since = this.now();
    this.what = `${LAYER[prev.mode]} gave way to ${LAYER[next.mode]}`;
    clearTimeout(this.timer);
    if (!next.guarded) queueMicrotask(() => this.store.dispatch({ type: 'guard', on: true }));
    this.timer = setTimeout(() => this.store.dispatch({ type: 'guard', on: false }), this.ms);
  }

  drops(cmd: Command, input: string, key: KeyInfo): boolean {
    if (!CONSEQUENTIAL.has(cmd.kind)) return false;
    if (this.now() - this.since >= this.ms) return false;
    const name = key.ctrl ? `ctrl-${input}` : key.return ? 'enter' : key.escape ? 'esc' : input || 'a key';
    this.say(`Ignored ${name}: it came just as ${this.what} by itself. Press it again if you meant it here.`);
    return true;
  }

  dispose(): void {
    clearTimeout(this.timer);
  }
}
