// Progress while a run is under way: a live line on a terminal, one quiet line per phase elsewhere (CI logs).
interface Progress {
  update(phase: string, done: number, total: number): void;
  finish(): void;
}

export function progressOn(stream: NodeJS.WriteStream, interactive: boolean): Progress {
  let last = 0;
  let shown = false;
  const reported = new Set<string>();
  return {
    update(phase, done, total) {
      if (!interactive) {
        if (done === total && !reported.has(phase)) {
          reported.add(phase);
          stream.write(`conformance: ${phase}: ${total} case(s) answered\n`);
        }
        return;
      }
      const now = performance.now();
      if (done !== total && now - last < 100) return;
      last = now;
      shown = true;
      stream.write(`\r\x1b[K${phase} ${done}/${total}`);
    },
    finish() {
      if (shown) stream.write('\r\x1b[K');
      shown = false;
    },
  };
}
