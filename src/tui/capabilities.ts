import type { Tracking } from '../engine/project.js';

/**
 * What differs between tools, as far as the TUI is concerned: named for what it changes on screen,
 * never for a tool. Computed in one place (capabilitiesOf) from what the Project exposes; every
 * component, key binding and controller part reads these instead of asking which tool it is.
 */
export interface Capabilities {
  /**
   * How the tool records what ran: one version (and a dirty flag) below which everything counts as
   * applied, or a row per applied migration.
   */
  tracks: 'version' | 'rows';
  /** What f and :force act on: a version the user types (-1 = none), or the selected row. */
  forceTarget: 'typed-version' | 'selected-row';
  /** The header's word for a failed state: a dirty flag, or a failed row (counted when several). */
  failedWord: 'DIRTY' | 'FAILED';
  /** F (forget a row) and R (the tool's repair) exist. */
  forgetAndRepair: boolean;
  /**
   * What a finished step leaves in the tracking table follows from the step itself (the version it
   * records, clean or dirty), so the header can show it before the next re-read; otherwise re-read it.
   */
  stateFollowsSteps: boolean;
  /** Each step writes its own row with its SQL (one transaction), rather than a dirty marker before and a clean one after. */
  rowWrittenWithStep: boolean;
  /** A failed row the journal cannot explain gets the tool's failed-row panel (its repair or force). */
  failedRowPanel: boolean;
  /** The recovery guide also offers "force a version you type". */
  typedForceInGuide: boolean;
  /** Where a migration whose file is gone is recorded: the tool's table, or (one version) "the database". */
  recordedInTable: boolean;
}

const VERSION: Capabilities = {
  tracks: 'version',
  forceTarget: 'typed-version',
  failedWord: 'DIRTY',
  forgetAndRepair: false,
  stateFollowsSteps: true,
  rowWrittenWithStep: false,
  failedRowPanel: false,
  typedForceInGuide: true,
  recordedInTable: false,
};

const ROWS: Capabilities = {
  tracks: 'rows',
  forceTarget: 'selected-row',
  failedWord: 'FAILED',
  forgetAndRepair: true,
  stateFollowsSteps: false,
  rowWrittenWithStep: true,
  failedRowPanel: true,
  typedForceInGuide: false,
  recordedInTable: true,
};

export function capabilitiesFor(tracks: Capabilities['tracks']): Capabilities {
  return tracks === 'version' ? VERSION : ROWS;
}

/** The one place the TUI derives its capabilities: from the tracking model the project's format module names. */
export function capabilitiesOf(project: { tracking: Pick<Tracking, 'model'> }): Capabilities {
  return capabilitiesFor(project.tracking.model);
}

/** Capabilities of an Info that names none (tests, older callers): one version and a dirty flag. */
export const DEFAULT_CAPABILITIES = VERSION;

/** The capabilities an Info carries. */
export function capsOfInfo(info: { caps?: Capabilities }): Capabilities {
  return info.caps ?? DEFAULT_CAPABILITIES;
}
