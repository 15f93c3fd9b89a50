import { describe, expect, it } from "vitest";
import { TraceOutbox } from "./trace-outbox.js";

const text = (slice: { offset: number; data: Buffer } | null) =>
  slice && [slice.offset, slice.data.toString()];

describe("trace outbox", () => {
  it("sends one message at a time and batches what was written meanwhile", () => {
    const outbox = new TraceOutbox();
    outbox.append(Buffer.from("ab"));
    expect(text(outbox.next(100))).toEqual([0, "ab"]);
    outbox.append(Buffer.from("cd"));
    outbox.append(Buffer.from("ef"));
    expect(outbox.next(100)).toBeNull();
    expect(outbox.ack(2)).toBe("ok");
    expect(text(outbox.next(100))).toEqual([2, "cdef"]);
  });

  it("splits messages at maxBytes, across appended chunks", () => {
    const outbox = new TraceOutbox();
    outbox.append(Buffer.from("abc"));
    outbox.append(Buffer.from("defg"));
    expect(text(outbox.next(5))).toEqual([0, "abcde"]);
    outbox.ack(5);
    expect(text(outbox.next(5))).toEqual([5, "fg"]);
  });

  it("resends from the acknowledged length when the server acknowledges less than the message in flight", () => {
    const outbox = new TraceOutbox();
    outbox.append(Buffer.from("hello world"));
    outbox.next(5);
    expect(outbox.ack(3)).toBe("ok");
    expect(text(outbox.next(100))).toEqual([3, "lo world"]);
  });

  it("reports lost bytes when the server acknowledges less than it acknowledged before", () => {
    const outbox = new TraceOutbox();
    outbox.append(Buffer.from("hello"));
    outbox.next(5);
    outbox.ack(5);
    expect(outbox.ack(2)).toBe("lost");
    expect(outbox.ack(6)).toBe("ahead");
  });

  it("starts at a given offset for a build resumed after a restart", () => {
    const outbox = new TraceOutbox(40);
    outbox.append(Buffer.from("xyz"));
    expect(text(outbox.next(100))).toEqual([40, "xyz"]);
    outbox.resetInFlight();
    expect(text(outbox.next(100))).toEqual([40, "xyz"]);
    outbox.ack(43);
    expect(outbox.settled).toBe(true);
    expect(outbox.next(100)).toBeNull();
  });
});

describe("trace outbox with many small writes", () => {
  it("sends every byte once, in order, across thousands of one-byte appends", () => {
    const outbox = new TraceOutbox();
    const written: number[] = [];
    const received: number[] = [];
    for (let i = 0; i < 5000; i++) {
      written.push(i % 251);
      outbox.append(Buffer.from([i % 251]));
      if (i % 3 === 0) {
        const slice = outbox.next(700);
        if (slice) {
          received.push(...slice.data);
          outbox.ack(slice.offset + slice.data.byteLength);
        }
      }
    }
    for (let slice = outbox.next(700); slice; slice = outbox.next(700)) {
      received.push(...slice.data);
      outbox.ack(slice.offset + slice.data.byteLength);
    }
    expect(received).toEqual(written);
    expect(outbox.settled).toBe(true);
  });
});
