/**
 * @module cli/progress
 * A one-line progress bar on stderr, drawn only when stderr is a terminal.
 */
export type Progress = { tick: (label?: string) => void; set: (done: number, total: number, label?: string) => void; done: () => void };

export function progressBar(total: number, stream: NodeJS.WriteStream = process.stderr): Progress {
  const enabled = !!stream.isTTY;
  let count = 0;
  const draw = (done: number, all: number, label = '') => {
    if (!enabled) return;
    const width = 24;
    const filled = all ? Math.round((done / all) * width) : 0;
    const line = `[${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${done}/${all} ${label}`;
    const columns = stream.columns || 80;
    stream.write('\r' + line.slice(0, columns - 1).padEnd(columns - 1));
  };
  return {
    tick: (label) => draw(++count, total, label),
    set: (done, all, label) => draw(done, all, label),
    done: () => {
      if (enabled) stream.write('\r' + ' '.repeat((stream.columns || 80) - 1) + '\r');
    },
  };
}
