package dev.codelab.cli.chat;

import dev.codelab.client.UsageReport;
import dev.codelab.client.UsageReport.UsageRow;
import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.function.Function;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code codelab usage [--from DAY] [--to DAY]}: the caller's tokens and cost, by day, model and session. */
@Command(
        name = "usage",
        mixinStandardHelpOptions = true,
        description = "Your language-model usage and its cost in US dollars (default: this month so far).")
public final class UsageCommand implements Callable<Integer> {

    @Mixin
    ServerOptions server;

    @Spec
    CommandSpec spec;

    @Option(
            names = "--from",
            paramLabel = "YYYY-MM-DD",
            description = "First UTC day (default: the 1st of this month).")
    String from;

    @Option(names = "--to", paramLabel = "YYYY-MM-DD", description = "Last UTC day, included (default: today).")
    String to;

    @Override
    public Integer call() {
        return server.run(
                spec,
                "usage",
                client -> print(client.usage(from, to), spec.commandLine().getOut()));
    }

    static void print(UsageReport report, PrintWriter out) {
        out.println("Usage from " + report.from() + " to " + report.to() + " (UTC)");
        table(out, "DAY", report.byDay(), UsageRow::day);
        table(out, "MODEL", report.byModel(), UsageRow::model);
        table(out, "SESSION", report.bySession(), UsageRow::sessionId);
        out.println();
        row(out, "TOTAL", report.totals());
        out.flush();
    }

    private static void table(PrintWriter out, String title, List<UsageRow> rows, Function<UsageRow, String> key) {
        out.println();
        out.printf(
                Locale.ROOT,
                "%-40s %7s %12s %12s %12s %12s %12s%n",
                title,
                "CALLS",
                "PROMPT",
                "CACHE READ",
                "CACHE WRITE",
                "COMPLETION",
                "COST USD");
        for (UsageRow row : rows) {
            row(out, key.apply(row), row);
        }
        if (rows.isEmpty()) {
            out.println("(none)");
        }
    }

    private static void row(PrintWriter out, String key, UsageRow row) {
        out.printf(
                Locale.ROOT,
                "%-40s %7d %12d %12d %12d %12d %12.6f%n",
                key,
                row.calls(),
                row.promptTokens(),
                row.cacheReadTokens(),
                row.cacheWriteTokens(),
                row.completionTokens(),
                row.costUsd());
    }
}
