/** Slack accepts about one message per second per incoming webhook URL. */
export const SLACK_MIN_INTERVAL_MS = 1000;

/** Spaces the messages sent to each Slack webhook URL at least `SLACK_MIN_INTERVAL_MS` apart. */
export class SlackPacer {
  readonly #nextSendAtMs = new Map<string, number>();

  /** Resolves when a message may go to `url`, and books the following slot. */
  async waitForSlot(url: string): Promise<void> {
    const nowMs = Date.now();
    const sendAtMs = Math.max(nowMs, this.#nextSendAtMs.get(url) ?? 0);
    this.#nextSendAtMs.set(url, sendAtMs + SLACK_MIN_INTERVAL_MS);
    this.#forgetPastSlots(nowMs);
    if (sendAtMs > nowMs) await new Promise((resolve) => setTimeout(resolve, sendAtMs - nowMs));
  }

  #forgetPastSlots(nowMs: number): void {
    if (this.#nextSendAtMs.size < 1000) return;
    for (const [url, atMs] of this.#nextSendAtMs) {
      if (atMs < nowMs) this.#nextSendAtMs.delete(url);
    }
  }
}
