import { openProject, type Project } from '../engine/project.js';
import type { FormatName } from '../formats/names.js';

export interface StartOptions {
  lockTimeoutMs: number;
  env?: NodeJS.ProcessEnv;
  /** Where the database URL came from ("sandbox" is shown in the header). */
  databaseFrom?: string;
  /** Record each step in Ladder's journal (default; -no-journal turns it off). */
  journal?: boolean;
  /**
   * Opens the same folder and database as the given tool's project (the user chose it for an ambiguous
   * folder). The CLI passes one that keeps its table and tool settings; without it, the tool's defaults.
   */
  reopen?: (format: FormatName) => Promise<Project>;
}

/**
 * Opens the interactive TUI (the caller has checked that stdin and stdout are terminals).
 * Ink and React are loaded here, only for the TUI, so headless commands start fast.
 */
export async function startTui(project: Project, o: StartOptions): Promise<number> {
  if (!process.stdin.isTTY || !process.stdout.isTTY) throw new Error('the TUI needs a terminal (stdin and stdout must be TTYs)');
  const mount = await loadTuiModule();
  const reopen = o.reopen ?? ((format: FormatName) => openProject(project.listing.dir, project.target, { format }));
  let current = project;
  try {
    for (;;) {
      const r = await mount.mountTuiSession(current, {
        lockTimeoutMs: o.lockTimeoutMs,
        env: o.env ?? process.env,
        databaseFrom: o.databaseFrom,
        controller: { journal: o.journal ?? true },
      });
      if (!r.reopenAs) return r.code;
      const next = await reopen(r.reopenAs as FormatName);
      if (current !== project) await current.close();
      current = next;
    }
  } finally {
    // The caller closes the project it gave; the ones opened here are closed here.
    if (current !== project) await current.close();
  }
}

/**
 * Loads the Ink app (mount.js) for a real terminal:
 * - Ink decides once, when first imported, whether it runs in CI (CI or CONTINUOUS_INTEGRATION set)
 *   and then draws nothing until exit. We only get here with a real terminal (e.g. tmux on a CI
 *   machine), so those variables are hidden while Ink loads and put back right after.
 * - React picks its development or production build when first imported, from NODE_ENV; unless the
 *   user chose, use the production build (the development one renders several times slower). The
 *   bundle (npm run build) has the production build compiled in; this matters when run from source.
 *   `env` rather than `process.env`: the bundler replaces `process.env.NODE_ENV` with a constant.
 */
export async function loadTuiModule(): Promise<typeof import('./mount.js')> {
  const env = process.env;
  const saved = { CI: env.CI, CONTINUOUS_INTEGRATION: env.CONTINUOUS_INTEGRATION, NODE_ENV: env.NODE_ENV };
  delete env.CI;
  delete env.CONTINUOUS_INTEGRATION;
  if (saved.NODE_ENV === undefined) env.NODE_ENV = 'production';
  try {
    return await import('./mount.js');
  } finally {
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete env[k];
      else env[k] = v;
    }
  }
}
