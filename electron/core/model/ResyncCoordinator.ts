/**
 * Runs /proc resyncs one at a time: a request while one runs sets a flag, and exactly one more
 * runs after it (the loss it answers happened after the running scan began). A storm of loss
 * notifications therefore costs at most two scans back to back, never a pile of them.
 */
export class ResyncCoordinator {
  private running: Promise<void> | undefined;
  private again = false;
  private completed = 0;

  constructor(
    private readonly resync: () => Promise<void>,
    private readonly onError: (error: unknown) => void,
  ) {}

  /** Resyncs finished so far. */
  get count(): number {
    return this.completed;
  }

  request(): void {
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = this.loop().finally(() => {
      this.running = undefined;
    });
  }

  /** Resolves once no resync is running or pending. */
  async idle(): Promise<void> {
    while (this.running) await this.running;
  }

  private async loop(): Promise<void> {
    do {
      this.again = false;
      try {
        await this.resync();
        this.completed++;
      } catch (error) {
        this.onError(error);
      }
    } while (this.again);
  }
}
