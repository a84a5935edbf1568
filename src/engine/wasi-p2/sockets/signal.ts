/** A promise to settle each time something changes, made afresh after each settling. */
export class Signal {
  private waiting: PromiseWithResolvers<void> | undefined;
  wait(): Promise<void> {
    return (this.waiting ??= Promise.withResolvers<void>()).promise;
  }
  fire(): void {
    this.waiting?.resolve();
    this.waiting = undefined;
  }
}
