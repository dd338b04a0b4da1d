/**
 * Where a command writes. Headless printing writes through it; the CLI hands it the process's streams
 * (cli/io.ts, which redacts passwords), tests a recorder.
 */
export interface CliIO {
  out(text: string): void;
  err(text: string): void;
  /** Whether a person is at the keyboard (stdin and stdout are terminals). */
  interactive: boolean;
  /** Asks a question on stderr and reads one line of stdin. */
  ask(question: string): Promise<string>;
}
