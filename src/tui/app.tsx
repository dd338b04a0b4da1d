import React, { useEffect, useMemo, useSyncExternalStore } from 'react';
import { Box, Text, useApp, useInput } from 'ink';
import type { Store } from './store.js';
import type { TuiController } from './controller.js';
import { detailOf, fullRows, layoutOf, planRows, selectedRow } from './reducer.js';
import { dryRunOf } from './view.js';
import { DryRunPanel } from './components/dry-run-panel.js';
import { completions } from './command-line.js';
import { DetailPanel } from './components/detail-panel.js';
import { PausePanel } from './components/pause-panel.js';
import { rowDetail } from './rows.js';
import { footerKeys } from './keys-help.js';
import { Header } from './components/header.js';
import { MigrationList } from './components/migration-list.js';
import { SqlPreview } from './components/sql-preview.js';
import { LogPanel } from './components/log-panel.js';
import { Footer, type FooterProps } from './components/footer.js';
import { PlanPanel } from './components/plan-panel.js';
import { RunPanel } from './components/run-panel.js';
import { HelpPanel } from './components/help-panel.js';
import { RecoveryPanel } from './components/recovery-panel.js';
import { LedgerRecoveryPanel } from './components/ledger-recovery-panel.js';
import { HistoryPanel } from './components/history-panel.js';
import { ToolPanel } from './components/tool-panel.js';
import { MIN_COLS, MIN_ROWS } from './layout.js';
import { recoveryItems } from './recovery-choices.js';
import type { Theme } from './theme.js';

export interface AppProps {
  store: Store;
  controller: TuiController;
}

/** The whole screen. Renders state; the single useInput below hands every key to the controller's router. */
export function App({ store, controller }: AppProps) {
  const s = useSyncExternalStore(store.subscribe, store.getState);
  const { exit } = useApp();
  useInput(controller.handleKey);
  useEffect(() => {
    if (s.quitting) exit();
  }, [s.quitting, exit]);

  const l = layoutOf(s);
  const byVersion = s.byVersion;
  const hasFile = useMemo(() => (v: string) => byVersion.has(v), [byVersion]);
  // What the preview says about the selected row (same lines as the reducer's previewRowsOf counts).
  const selected = selectedRow(s);
  const absent = s.preview.absent;
  const detail = useMemo(() => rowDetail(selected, l.previewRows, absent), [selected, l.previewRows, absent]);
  // One object per colour setting, so memoised panels skip re-rendering when nothing of theirs changed.
  const theme: Theme = useMemo(() => ({ color: s.color }), [s.color]);
  if (l.tooSmall)
    return (
      <Box height={Math.max(1, l.height)} width={l.cols}>
        <Text wrap="wrap">{`Terminal too small (${s.cols}x${s.rows}); Ladder needs ${MIN_COLS}x${MIN_ROWS}. q quits.`}</Text>
      </Box>
    );

  let main: React.ReactNode;
  switch (s.mode) {
    case 'plan':
      main = s.plan ? (
        <PlanPanel
          plan={s.plan}
          top={s.planTop}
          rows={planRows(s)}
          width={l.cols}
          confirmInput={s.confirmInput}
          confirmError={s.confirmError}
          database={s.info.databaseName}
          theme={theme}
          epoch={s.highlightEpoch}
        />
      ) : null;
      break;
    case 'recovery':
      main = s.recovery.ledger ? (
        <LedgerRecoveryPanel
          guide={s.recovery.ledger}
          info={s.info}
          failure={s.failure}
          highlighted={s.recovery.highlighted}
          width={l.cols}
          rows={fullRows(s)}
          onChoose={controller.chooseRecovery}
          onHighlight={controller.highlightRecovery}
          theme={theme}
        />
      ) : (
        <RecoveryPanel
          db={s.db}
          recovery={s.recovery}
          failure={s.failure}
          items={recoveryItems(s)}
          width={l.cols}
          rows={fullRows(s)}
          onChoose={controller.chooseRecovery}
          onHighlight={controller.highlightRecovery}
          theme={theme}
        />
      );
      break;
    case 'tool':
      main = s.toolChoice ? <ToolPanel choice={s.toolChoice} folder={s.info.folder} width={l.cols} rows={fullRows(s)} onChoose={controller.chooseTool} theme={theme} /> : null;
      break;
    case 'help':
      main = <HelpPanel info={s.info} top={s.helpTop} rows={l.main + l.log - 2} width={l.cols} theme={theme} filter={s.helpFilter} />;
      break;
    case 'dry-run':
      main = <DryRunPanel lines={dryRunOf(s)} top={s.dryRun?.top ?? 0} rows={fullRows(s)} width={l.cols} running={s.dryRun?.status === 'running'} theme={theme} />;
      break;
    case 'detail':
      main = <DetailPanel lines={detailOf(s)} top={s.detailTop} rows={fullRows(s)} width={l.cols} theme={theme} />;
      break;
    case 'history':
      main = (
        <HistoryPanel
          history={s.history}
          table={s.info.journalTable ?? 'the journal'}
          width={l.cols}
          height={fullRows(s)}
          applied={s.db.state?.applied}
          theme={theme}
        />
      );
      break;
    case 'log':
      main = <LogPanel lines={s.log.lines} total={s.log.total} width={l.cols} height={l.main + l.log - 2} back={s.logBack} full theme={theme} search={s.logSearch} />;
      break;
    default: {
      const right =
        s.mode === 'paused' && s.pause ? (
          <PausePanel pause={s.pause} width={l.previewWidth} height={l.previewRows} theme={theme} />
        ) : s.run && (s.mode === 'running' || s.mode === 'cancel') ? (
          <RunPanel
            run={s.run}
            now={s.now}
            width={l.previewWidth}
            height={l.previewRows}
            cancelMenu={s.mode === 'cancel'}
            onCancelChoice={controller.chooseCancel}
            theme={theme}
          />
        ) : (
          <SqlPreview
            preview={s.preview}
            tab={s.tab}
            width={l.previewWidth}
            height={l.previewRows}
            detail={detail}
            focused={s.focus === 'sql'}
            theme={theme}
            epoch={s.highlightEpoch}
            left={s.previewLeft}
          />
        );
      const running = s.run && s.run.running ? (s.run.versions[s.run.index] ?? null) : null;
      main = (
        <Box height={l.main} flexShrink={0}>
          <MigrationList
            rows={s.items}
            hasFile={hasFile}
            visible={s.visible}
            versionWidth={s.versionWidth}
            cursor={s.cursor}
            top={s.listTop}
            height={l.listRows}
            width={l.listWidth}
            focused={s.focus === 'list' && s.mode !== 'running' && s.mode !== 'cancel'}
            filter={s.filter}
            theme={theme}
            running={running}
          />
          {right}
        </Box>
      );
    }
  }

  let input: FooterProps['input'];
  if (s.mode === 'filter') input = { label: 'filter /', value: s.filter, note: `${s.visible.length} of ${s.items.length} match` };
  else if (s.mode === 'command') {
    const fits = completions(s.command.value);
    const note = fits.length === 1 ? `${fits[0]!.name} ${fits[0]!.args}: ${fits[0]!.about}` : fits.length > 0 ? fits.map((c) => c.name).join(' ') : 'no such command';
    input = { label: ':', value: s.command.value, note, error: s.command.error };
  }
  else if (s.mode === 'prompt') input = { label: 'force version: ', value: s.prompt.value, note: s.prompt.hint, error: s.prompt.error };
  else if (s.mode === 'planning') input = { label: `${s.planningLabel}: `, value: 'reading the database and the files…', noCursor: true };

  return (
    <Box flexDirection="column" width={l.cols} height={l.height}>
      <Header info={s.info} db={s.db} rows={s.items} width={l.cols} theme={theme} run={s.run} drift={s.drift} />
      {main}
      {s.mode === 'help' || s.mode === 'log' || s.mode === 'history' || s.mode === 'recovery' || s.mode === 'detail' || s.mode === 'tool' || s.mode === 'dry-run' ? null : <LogPanel lines={s.log.lines} total={s.log.total} width={l.cols} height={l.logRows} theme={theme} back={s.focus === 'log' ? s.logBack : 0} focused={s.focus === 'log'} search={s.logSearch} />}
      <Footer hints={footerKeys(s)} input={input} width={l.cols} theme={theme} />
    </Box>
  );
}
