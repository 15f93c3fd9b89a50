// A `junit` report upload (gzip members, one per file) → test cases, as GitLab's JUnit parser reads them
// (lib/gitlab/ci/parsers/test/junit.rb): cases of every `<testsuite>`, nested ones too, under an optional
// top-level `<testsuites>`; a report it cannot read becomes the suite's `suite_error`, never an exception.

import { gunzipSync, inflateRawSync } from "node:zlib";
import type { ParsedTestCase, TestCaseStatus } from "@buildsim/core";
import { XMLParser, XMLValidator } from "fast-xml-parser";

/** The most a report may hold once decompressed; past it the report is refused as a `suite_error`. */
export const MAX_JUNIT_REPORT_BYTES = 64 * 1024 * 1024;

/** What one report gave: its cases, or GitLab's `suite_error` text. */
export interface ParsedJunitReport {
  cases: ParsedTestCase[];
  suiteError: string | null;
}

type XmlNode = Record<string, unknown>;

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: "@_",
  textNodeName: "#text",
  // Values stay text: `time="1.50"` and a test named `007` are read as written.
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: false,
});

/** Parses an uploaded `junit` report body; every failure is a value. */
export function parseJunitUpload(body: Uint8Array, maxBytes = MAX_JUNIT_REPORT_BYTES): ParsedJunitReport {
  let files: string[];
  try {
    files = gzipMembers(body, maxBytes);
  } catch (error) {
    const tooLarge = (error as NodeJS.ErrnoException).code === "ERR_BUFFER_TOO_LARGE";
    const why = tooLarge ? `report is larger than ${maxBytes} bytes` : (error as Error).message;
    return { cases: [], suiteError: `JUnit data parsing failed: ${why}` };
  }
  const cases: ParsedTestCase[] = [];
  for (const xml of files) {
    const report = parseJunitXml(xml);
    if (report.suiteError) return { cases: [], suiteError: report.suiteError };
    cases.push(...report.cases);
  }
  return { cases, suiteError: null };
}

/** Parses one JUnit XML document. */
export function parseJunitXml(xml: string): ParsedJunitReport {
  const valid = XMLValidator.validate(xml);
  if (valid !== true) {
    const { msg, line, col } = valid.err;
    return { cases: [], suiteError: `JUnit XML parsing failed: ${line}:${col}: ${msg}` };
  }
  try {
    const root = parser.parse(xml) as XmlNode;
    const cases: ParsedTestCase[] = [];
    // One top-level `testsuites` at most; at least one level of `testsuite` (or `testsuites`) above a case.
    for (const suites of nodes(root.testsuites)) collectCases(suites, cases);
    for (const suite of nodes(root.testsuite)) collectCases(suite, cases);
    return { cases, suiteError: null };
  } catch (error) {
    return { cases: [], suiteError: `JUnit data parsing failed: ${(error as Error).message}` };
  }
}

/** The cases of `suite`, then those of its nested `testsuite`s (PHPUnit nests them). */
function collectCases(suite: XmlNode, out: ParsedTestCase[]): void {
  const suiteName = attribute(suite, "name");
  for (const testcase of nodes(suite.testcase)) out.push(readCase(testcase, suiteName));
  for (const nested of nodes(suite.testsuite)) collectCases(nested, out);
}

/** One `<testcase>`: failed if it has a `<failure>`, else error, else skipped, else success. */
function readCase(testcase: XmlNode, suiteName: string | null): ParsedTestCase {
  let status: TestCaseStatus = "success";
  let detail: unknown;
  if ("failure" in testcase) [status, detail] = ["failed", testcase.failure];
  else if ("error" in testcase) [status, detail] = ["error", testcase.error];
  else if ("skipped" in testcase) [status, detail] = ["skipped", testcase.skipped];
  const time = Number.parseFloat(attribute(testcase, "time") ?? "");
  return {
    suiteName,
    name: attribute(testcase, "name"),
    classname: attribute(testcase, "classname"),
    file: attribute(testcase, "file"),
    // Ruby's `to_f`: a leading number, else 0.
    executionTime: Number.isFinite(time) ? time : 0,
    status,
    systemOutput: status === "success" ? null : detailText(detail),
  };
}

/** The text of `<failure>`/`<error>`/`<skipped>` (the first one), or its `message` when it has none. */
function detailText(detail: unknown): string | null {
  const first = Array.isArray(detail) ? detail[0] : detail;
  if (typeof first === "string") return first === "" ? null : first;
  if (first && typeof first === "object") {
    const node = first as XmlNode;
    const text = node["#text"];
    if (typeof text === "string" && text.trim() !== "") return text;
    return attribute(node, "message");
  }
  return null;
}

function attribute(node: XmlNode, name: string): string | null {
  const value = node[`@_${name}`];
  return typeof value === "string" ? value : null;
}

/** An element's children of one name as a list (the parser gives one object, a list, or text). */
function nodes(value: unknown): XmlNode[] {
  const list = Array.isArray(value) ? value : value === undefined ? [] : [value];
  return list.filter((v): v is XmlNode => typeof v === "object" && v !== null);
}

/**
 * Splits a multi-member gzip stream (GitLab Runner writes one member per report file) and decompresses
 * each, refusing more than `maxBytes` in all.
 */
export function gzipMembers(body: Uint8Array, maxBytes: number): string[] {
  const data = Buffer.from(body.buffer, body.byteOffset, body.byteLength);
  const out: string[] = [];
  let offset = 0;
  let total = 0;
  while (offset < data.length) {
    const start = offset;
    const deflateAt = gzipHeaderEnd(data, offset);
    // The raw deflate stream ends where it ends; `bytesWritten` is how much input it took.
    const { engine } = inflateRawSync(data.subarray(deflateAt), {
      info: true,
      maxOutputLength: maxBytes - total + 1,
    }) as unknown as { engine: { bytesWritten: number } };
    offset = deflateAt + engine.bytesWritten + 8; // CRC32 and ISIZE trail each member
    if (offset > data.length) throw new Error("truncated gzip member");
    // Decompressed once more as a whole member, so its CRC is checked.
    const member = gunzipSync(data.subarray(start, offset), { maxOutputLength: maxBytes - total + 1 });
    total += member.length;
    if (total > maxBytes) throw new Error(`report is larger than ${maxBytes} bytes`);
    out.push(member.toString("utf8"));
  }
  return out;
}

/** Where a gzip member's deflate data starts (RFC 1952: FEXTRA, FNAME, FCOMMENT, FHCRC). */
function gzipHeaderEnd(data: Buffer, at: number): number {
  if (data.length < at + 10 || data[at] !== 0x1f || data[at + 1] !== 0x8b || data[at + 2] !== 8)
    throw new Error("not in gzip format");
  const flags = data[at + 3]!;
  let p = at + 10;
  if (flags & 4) p += 2 + data.readUInt16LE(p);
  if (flags & 8) p = data.indexOf(0, p) + 1;
  if (flags & 16) p = data.indexOf(0, p) + 1;
  if (flags & 2) p += 2;
  if (p <= at || p > data.length) throw new Error("truncated gzip header");
  return p;
}
