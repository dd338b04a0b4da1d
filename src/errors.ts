/** An error meant for the user: what happened (message) and what to do (hint). Exit code 1 unless told otherwise. */
export class LadderError extends Error {
  constructor(
    message: string,
    readonly hint?: string,
    readonly exitCode = 1,
  ) {
    super(message);
    this.name = 'LadderError';
  }
}

export class UsageError extends LadderError {
  constructor(message: string, hint?: string) {
    super(message, hint, 2);
    this.name = 'UsageError';
  }
}
