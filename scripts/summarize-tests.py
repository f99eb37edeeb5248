#!/usr/bin/env python3
"""Adds up JUnit XML reports (lit --xunit-xml-output, ctest --output-junit)
into one line "N passed, N failed[, N skipped]"; exits 1 if any failed."""
import sys
import xml.etree.ElementTree as ET


def outcome(testcase):
    if testcase.find("failure") is not None or testcase.find("error") is not None:
        return "failed"
    if testcase.find("skipped") is not None or testcase.get("status") == "notrun":
        return "skipped"
    return "passed"


def main(paths):
    totals = {"passed": 0, "failed": 0, "skipped": 0}
    for path in paths:
        counts = {"passed": 0, "failed": 0, "skipped": 0}
        for testcase in ET.parse(path).getroot().iter("testcase"):
            counts[outcome(testcase)] += 1
        print("%-22s %d passed, %d failed, %d skipped" % (
            path.rsplit("/", 1)[-1], counts["passed"], counts["failed"],
            counts["skipped"]))
        for key in totals:
            totals[key] += counts[key]
    line = "%d passed, %d failed" % (totals["passed"], totals["failed"])
    if totals["skipped"]:
        line += ", %d skipped" % totals["skipped"]
    print(line)
    return 1 if totals["failed"] or not paths else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
