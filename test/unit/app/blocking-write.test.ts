/**
 * The process's standard output blocks until the reader takes each part (src/app/blocking-write.ts):
 * Node writes to a pipe asynchronously and held in the process whatever the reader had not taken,
 * so a report written in parts was held whole behind a slow reader. Tested on a real FIFO whose
 * reader waits before reading: the writer has to wait (EAGAIN) and every byte arrives in order.
 */
import { execFileSync, spawn } from 'node:child_process';
import { once } from 'node:events';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { BLOCKING_WRITE, blockingWriter } from '../../../src/app/blocking-write.js';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sidecar-lint-blocking-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

/** A stream standing in for process.stdout: what was written through it. */
function fakeStream(held = 0) {
  const written: string[] = [];
  return {
    written,
    stream: {
      writableLength: held,
      write(chunk: string | Uint8Array) {
        written.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8'));
        return true;
      },
    } as unknown as NodeJS.WritableStream & { writableLength: number },
  };
}

/** A FIFO, a reader running `script` on it (its read end as fd 3), and its write end opened without blocking. */
async function fifoWithReader(name: string, script: string) {
  const fifo = path.join(dir, name);
  execFileSync('mkfifo', [fifo]);
  const reader = spawn('sh', ['-c', `exec 3<"${fifo}"; ${script}`], { stdio: 'ignore' });
  const exited = once(reader, 'exit');
  // Opening a FIFO to write without blocking fails (ENXIO) until a reader has opened it.
  for (;;) {
    try {
      return { fd: fs.openSync(fifo, fs.constants.O_WRONLY | fs.constants.O_NONBLOCK), exited };
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENXIO') throw e;
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  }
}

describe('blockingWriter', () => {
  it('waits while the pipe is full, and every byte arrives in order', async () => {
    const out = path.join(dir, 'out');
    const { fd, exited } = await fifoWithReader('slow', `sleep 0.3; cat <&3 > "${out}"`);
    const { stream, written } = fakeStream();
    const write = blockingWriter(fd, stream);
    const parts = Array.from({ length: 400 }, (_, i) => `${i}: ${'é—x'.repeat(i * 7)}\n`);
    const waits = BLOCKING_WRITE.waits;
    for (const part of parts) write(part);
    fs.closeSync(fd);
    const [code] = await exited;
    expect(code).toBe(0);
    expect(fs.readFileSync(out, 'utf8')).toBe(parts.join(''));
    // (4 MB through a pipe of at most 1 MB whose reader sleeps first.)
    expect(BLOCKING_WRITE.waits).toBeGreaterThan(waits);
    expect(written).toEqual([]);
  });

  it('drops the rest once the reader has gone (EPIPE), as `| head` expects, without an error', async () => {
    const { fd, exited } = await fifoWithReader('head', 'head -c 10 <&3 > /dev/null');
    const { stream, written } = fakeStream();
    const write = blockingWriter(fd, stream);
    // More than the pipe holds: the reader takes 10 bytes and goes while this waits.
    expect(() => write('x'.repeat(4 << 20))).not.toThrow();
    const [code] = await exited;
    expect(code).toBe(0);
    expect(() => write('after')).not.toThrow();
    fs.closeSync(fd);
    expect(written).toEqual([]);
  });

  it('hands the rest to the stream after another error (it reports it), and keeps to it', () => {
    const bad = fs.openSync(path.join(dir, 'closed'), 'w');
    fs.closeSync(bad); // EBADF from now on
    const { stream, written } = fakeStream();
    const write = blockingWriter(bad, stream);
    write('one');
    write('two');
    expect(written).toEqual(['one', 'two']);
  });

  it('writes through the stream while it holds anything, to keep the order', () => {
    const file = path.join(dir, 'file');
    const fd = fs.openSync(file, 'w');
    const { stream, written } = fakeStream(5);
    const write = blockingWriter(fd, stream);
    write('one');
    (stream as { writableLength: number }).writableLength = 0;
    write('two');
    fs.closeSync(fd);
    expect(written).toEqual(['one', 'two']);
    expect(fs.readFileSync(file, 'utf8')).toBe('');
  });
});
