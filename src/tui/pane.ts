/** The panes that scroll, and how far a scroll moves one. */
export type Pane = 'preview' | 'plan' | 'help' | 'log' | 'history' | 'recovery' | 'detail' | 'dry-run';
export type ScrollBy = { lines: number } | { pages: number } | { to: 'start' | 'end' };
