// A progress bar for long runs (`reconcile --all`): on stderr, and only when stderr is a terminal,
// so pipes, files and CI logs never see it. Output printed meanwhile goes through `print`, which
// clears the bar, writes, and draws it again, so the bar never mixes with results.

interface Stream {
  isTTY?: boolean;
  columns?: number;
  write(text: string): boolean;
}

const WIDTH = 30;

export class ProgressBar {
  private readonly stream: Stream;
  readonly enabled: boolean;
  private total = 0;
  private done = 0;
  private drawn = false;

  constructor(stream: Stream, enabled: boolean = stream.isTTY === true) {
    this.stream = stream;
    this.enabled = enabled;
  }

  start(total: number): void {
    this.total = total;
    this.done = 0;
    this.draw();
  }

  tick(): void {
    this.done += 1;
    this.draw();
  }

  /** Writes other output with the bar out of the way. */
  print(write: () => void): void {
    this.clear();
    write();
    this.draw();
  }

  end(): void {
    this.clear();
  }

  /** The bar's text (without the carriage return), e.g. `[#######-----------] 3/10`. */
  static render(done: number, total: number, width = WIDTH): string {
    const filled = total === 0 ? width : Math.round((done / total) * width);
    return `[${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${done}/${total}`;
  }

  private draw(): void {
    if (!this.enabled || this.total === 0) return;
    this.stream.write(`\r${ProgressBar.render(this.done, this.total)}`);
    this.drawn = true;
  }

  private clear(): void {
    if (!this.enabled || !this.drawn) return;
    this.stream.write('\r\u001b[2K');
    this.drawn = false;
  }
}
