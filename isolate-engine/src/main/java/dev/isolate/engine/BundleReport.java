package dev.isolate.engine;

import dev.isolate.engine.consumer.Library;
import java.util.List;

/** What one bundle run decided and wrote: a report per member, in input order. */
public record BundleReport(List<Report> members) {
    public BundleReport {
        members = List.copyOf(members);
    }

    /** What the members' manifests and reports are made from, in input order. */
    public List<Library> libraries() {
        return members.stream().map(Report::library).toList();
    }
}
