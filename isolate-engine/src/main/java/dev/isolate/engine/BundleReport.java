package dev.isolate.engine;

import java.util.List;

/** What one bundle run decided and wrote: a report per member, in input order. */
public record BundleReport(List<Report> members) {
    public BundleReport {
        members = List.copyOf(members);
    }
}
