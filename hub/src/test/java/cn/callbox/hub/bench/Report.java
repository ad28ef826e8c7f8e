package cn.callbox.hub.bench;

import java.io.PrintStream;
import java.util.List;

/**
 * The benchmark's table: p50, p99 and max in milliseconds of each measure, and each p50 and p99 as a ratio to the
 * baseline's p50 and p99 measured in the same run (the machine is shared and noisy: ratios travel, milliseconds
 * don't).
 */
final class Report {

    private final Latencies baseline;
    private final List<Latencies> measures;

    Report(Latencies baseline, List<Latencies> measures) {
        this.baseline = baseline;
        this.measures = List.copyOf(measures);
    }

    void print(PrintStream out) {
        out.printf("%-42s %7s %6s %8s %8s %8s %9s %9s%n", "measure", "samples", "missed", "p50 ms", "p99 ms",
                "max ms", "p50/base", "p99/base");
        line(out, baseline);
        measures.forEach(m -> line(out, m));
    }

    private void line(PrintStream out, Latencies m) {
        if (m.count() == 0) {
            out.printf("%-42s %7d %6d %8s %8s %8s %9s %9s%n", m.name(), 0, m.missing(), "-", "-", "-", "-", "-");
            return;
        }
        String p50Ratio = baseline.count() == 0 ? "-" : String.format("%.1fx", m.p50() / baseline.p50());
        String p99Ratio = baseline.count() == 0 ? "-" : String.format("%.1fx", m.p99() / baseline.p99());
        out.printf("%-42s %7d %6d %8.2f %8.2f %8.2f %9s %9s%n", m.name(), m.count(), m.missing(), m.p50(), m.p99(),
                m.max(), p50Ratio, p99Ratio);
    }
}
