// The JUnit parser against the shapes real tools write (pytest, jest-junit, Maven Surefire, PHPUnit), and
// against reports it cannot read. Expected behaviour: GitLab's parser (lib/gitlab/ci/parsers/test/junit.rb)
// and https://docs.gitlab.com/ci/testing/unit_test_reports/ — a failure/error/skipped child decides the
// status, `time` is seconds, a report that cannot be parsed becomes the suite's `suite_error`.

import { gzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { gzipMembers, parseJunitUpload, parseJunitXml } from "./parse-junit-report.js";

const PYTEST = `<?xml version="1.0" encoding="utf-8"?>
<testsuites><testsuite name="pytest" errors="1" failures="1" skipped="1" tests="4" time="0.512" timestamp="2026-01-01T00:00:00" hostname="ci">
<testcase classname="tests.test_math" name="test_add" time="0.001" />
<testcase classname="tests.test_math" name="test_div" time="0.250"><failure message="ZeroDivisionError: division by zero">def test_div():
&gt;       assert 1 / 0
E       ZeroDivisionError: division by zero</failure></testcase>
<testcase classname="tests.test_io" name="test_read" time="0.002"><error message="failed on setup with &quot;FileNotFoundError&quot;">fixture 'tmpfile' not found</error></testcase>
<testcase classname="tests.test_io" name="test_net" time="0.000"><skipped type="pytest.skip" message="no network">/tests/test_io.py:12: no network</skipped></testcase>
</testsuite></testsuites>`;

const JEST_JUNIT = `<?xml version="1.0" encoding="UTF-8"?>
<testsuites name="jest tests" tests="3" failures="1" errors="0" time="1.204">
  <testsuite name="src/sum.test.js" errors="0" failures="1" skipped="1" timestamp="2026-01-01T00:00:00" time="0.9" tests="3">
    <testcase classname="sum adds numbers" name="sum adds numbers" time="0.004" file="src/sum.test.js">
    </testcase>
    <testcase classname="sum rejects strings" name="sum rejects strings" time="0.011" file="src/sum.test.js">
      <failure>Error: expect(received).toThrow()

Received function did not throw
    at Object.&lt;anonymous&gt; (src/sum.test.js:9:27)</failure>
    </testcase>
    <testcase classname="sum handles bigint" name="sum handles bigint" time="0" file="src/sum.test.js">
      <skipped/>
    </testcase>
  </testsuite>
</testsuites>`;

// Maven Surefire writes one file per class with a bare <testsuite> root and <properties>.
const SUREFIRE = `<?xml version="1.0" encoding="UTF-8"?>
<testsuite xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:noNamespaceSchemaLocation="https://maven.apache.org/surefire/maven-surefire-plugin/xsd/surefire-test-report.xsd" name="com.example.AppTest" time="0.042" tests="2" errors="0" skipped="0" failures="1">
  <properties><property name="java.version" value="21"/></properties>
  <testcase name="returnsGreeting" classname="com.example.AppTest" time="0.003"/>
  <testcase name="rejectsNull" classname="com.example.AppTest" time="0.021">
    <failure message="expected: &lt;true&gt; but was: &lt;false&gt;" type="org.opentest4j.AssertionFailedError"><![CDATA[org.opentest4j.AssertionFailedError: expected: <true> but was: <false>
	at com.example.AppTest.rejectsNull(AppTest.java:17)]]></failure>
    <system-out><![CDATA[starting]]></system-out>
  </testcase>
</testsuite>`;

const PHPUNIT_NESTED = `<?xml version="1.0" encoding="UTF-8"?>
<testsuites><testsuite name="All" tests="2"><testsuite name="Unit" tests="2">
<testcase name="testA" class="AT" classname="AT" file="/app/tests/AT.php" line="5" time="0.01"/>
<testsuite name="Unit::Data"><testcase name="testB with data set #0" classname="BT" time="0.02"/></testsuite>
</testsuite></testsuite></testsuites>`;

describe("parseJunitXml", () => {
  it("reads pytest's report: one case of each status, with the failure's text as its output", () => {
    const { cases, suiteError } = parseJunitXml(PYTEST);
    expect(suiteError).toBeNull();
    expect(cases.map((c) => [c.name, c.status])).toEqual([
      ["test_add", "success"],
      ["test_div", "failed"],
      ["test_read", "error"],
      ["test_net", "skipped"],
    ]);
    expect(cases[0]).toEqual({
      suiteName: "pytest",
      name: "test_add",
      classname: "tests.test_math",
      file: null,
      executionTime: 0.001,
      status: "success",
      systemOutput: null,
    });
    expect(cases[1]!.systemOutput).toBe(
      "def test_div():\n>       assert 1 / 0\nE       ZeroDivisionError: division by zero",
    );
    expect(cases[2]!.systemOutput).toBe("fixture 'tmpfile' not found");
    expect(cases[3]!.systemOutput).toBe("/tests/test_io.py:12: no network");
  });

  it("reads jest-junit's report with the file attribute and an empty skipped element", () => {
    const { cases } = parseJunitXml(JEST_JUNIT);
    expect(cases.map((c) => [c.name, c.status, c.file, c.executionTime])).toEqual([
      ["sum adds numbers", "success", "src/sum.test.js", 0.004],
      ["sum rejects strings", "failed", "src/sum.test.js", 0.011],
      ["sum handles bigint", "skipped", "src/sum.test.js", 0],
    ]);
    expect(cases[1]!.systemOutput).toContain("Received function did not throw");
    expect(cases[2]!.systemOutput).toBeNull();
  });

  it("reads a Maven Surefire report whose root is a bare testsuite, CDATA included", () => {
    const { cases, suiteError } = parseJunitXml(SUREFIRE);
    expect(suiteError).toBeNull();
    expect(cases).toHaveLength(2);
    expect(cases[1]).toMatchObject({
      suiteName: "com.example.AppTest",
      classname: "com.example.AppTest",
      status: "failed",
      executionTime: 0.021,
    });
    expect(cases[1]!.systemOutput).toMatch(/^org\.opentest4j\.AssertionFailedError: expected: <true>/);
  });

  it("collects the cases of nested testsuites, each with its own suite's name", () => {
    const { cases } = parseJunitXml(PHPUNIT_NESTED);
    expect(cases.map((c) => [c.suiteName, c.name])).toEqual([
      ["Unit", "testA"],
      ["Unit::Data", "testB with data set #0"],
    ]);
  });

  it("uses the message of a failure that has no text, and reads a bad time as zero like Ruby's to_f", () => {
    const { cases } = parseJunitXml(
      '<testsuite name="s"><testcase name="t" time="n/a"><failure message="boom"/></testcase></testsuite>',
    );
    expect(cases[0]).toMatchObject({ status: "failed", systemOutput: "boom", executionTime: 0 });
  });

  it("finds no cases in a document without testsuites (GitLab requires one level of testsuite)", () => {
    expect(parseJunitXml('<testcase name="lonely"/>')).toEqual({ cases: [], suiteError: null });
  });

  it("marks malformed XML as a suite error with where it broke, instead of throwing", () => {
    const report = parseJunitXml('<testsuite name="s"><testcase name="t"></testsuite>');
    expect(report.cases).toEqual([]);
    expect(report.suiteError).toMatch(/^JUnit XML parsing failed: 1:\d+: /);
  });

  it("survives an entity-expansion bomb without hanging", () => {
    const lol = (n: number, prev: string) => `<!ENTITY l${n} "${`&${prev};`.repeat(10)}">`;
    const bomb = `<?xml version="1.0"?><!DOCTYPE x [<!ENTITY l0 "lol">${lol(1, "l0")}${lol(2, "l1")}${lol(3, "l2")}${lol(4, "l3")}${lol(5, "l4")}${lol(6, "l5")}]><testsuite><testcase name="&l6;"/></testsuite>`;
    const report = parseJunitXml(bomb);
    const name = report.cases[0]?.name ?? "";
    // Either refused or expanded within bounds; never a million-character name.
    expect(name.length).toBeLessThan(100_000);
  });
});

describe("parseJunitUpload", () => {
  it("reads each gzip member as one report file and joins their cases", () => {
    const body = Buffer.concat([gzipSync(PYTEST), gzipSync(SUREFIRE)]);
    const { cases, suiteError } = parseJunitUpload(body);
    expect(suiteError).toBeNull();
    expect(cases).toHaveLength(6);
  });

  it("marks the whole report failed when one of its files is malformed", () => {
    const body = Buffer.concat([gzipSync(PYTEST), gzipSync("<testsuite>")]);
    const report = parseJunitUpload(body);
    expect(report.cases).toEqual([]);
    expect(report.suiteError).toMatch(/^JUnit XML parsing failed/);
  });

  it("marks a body that is not gzip, or is cut short, as a data parsing failure", () => {
    expect(parseJunitUpload(Buffer.from("<testsuite/>")).suiteError).toBe(
      "JUnit data parsing failed: not in gzip format",
    );
    const cut = gzipSync(PYTEST).subarray(0, 40);
    expect(parseJunitUpload(cut).suiteError).toMatch(/^JUnit data parsing failed: /);
  });

  it("refuses a report larger than the bound once decompressed", () => {
    const big = gzipSync(Buffer.alloc(2_000_000, 0x20));
    expect(parseJunitUpload(big, 1_000_000).suiteError).toBe(
      "JUnit data parsing failed: report is larger than 1000000 bytes",
    );
    expect(() => gzipMembers(big, 1_000_000)).toThrow();
  });
});
