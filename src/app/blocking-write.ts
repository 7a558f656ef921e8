/**
 * Standard output written as the reader takes it. Node writes to a pipe asynchronously: what the
 * reader has not taken yet is held in the process, so a report written in parts (JSON, SARIF) was
 * held whole when the reader was slower than the run (200,000 findings as SARIF through a pipe read
 * late: 994 MB peak RSS, 457 MB to a file). Here each text goes out with `writeSync`, waiting a
 * millisecond at a time while the pipe is full (EAGAIN), so at most one part is held.
 *
 * Room app: must not import .
 */
import { writeSync } from 'node:fs';

/** How many times a write found the pipe full and waited (tests check the wait happens). */
export const BLOCKING_WRITE = { waits: 0 };

const pause = new Int32Array(new SharedArrayBuffer(4));

/**
 * A writer of `fd` that blocks until each text is written. A reader that went away (EPIPE) drops the
 * rest, as the stream did; after any other error the rest goes to `stream`, which reports it as
 * before (an error event, after the run). Once the stream holds anything, it keeps the order.
 */
export function blockingWriter(fd: number, stream: NodeJS.WritableStream & { writableLength: number }): (text: string) => void {
  let closed = false;
  let streamed = false;
  return (text) => {
    if (closed) return;
    if (streamed || stream.writableLength > 0) {
      streamed = true;
      stream.write(text);
      return;
    }
    const bytes = Buffer.from(text, 'utf8');
    let at = 0;
    while (at < bytes.length) {
      try {
        at += writeSync(fd, bytes, at, bytes.length - at);
      } catch (e) {
        const code = (e as NodeJS.ErrnoException).code;
        if (code === 'EAGAIN') {
          BLOCKING_WRITE.waits++;
          Atomics.wait(pause, 0, 0, 1);
          continue;
        }
        if (code === 'EPIPE') {
          closed = true;
          return;
        }
        streamed = true;
        stream.write(bytes.subarray(at));
        return;
      }
    }
  };
}
