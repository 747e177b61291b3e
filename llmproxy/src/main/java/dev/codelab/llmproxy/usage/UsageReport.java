package dev.codelab.llmproxy.usage;

import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A user's usage over a range of UTC days: totals, and the same by day, by model and by session. */
record UsageReport(
        String userId,
        LocalDate from,
        LocalDate to,
        Totals totals,
        List<Row> byDay,
        List<Row> byModel,
        List<Row> bySession) {

    /** One group: its key (a day, a model alias or a session id) and its totals. */
    record Row(String key, Totals totals) {}

    Map<String, Object> toJson() {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("user_id", userId);
        json.put("from", from.toString());
        json.put("to", to.toString());
        json.put("totals", totals.toJson());
        json.put("by_day", rows(byDay, "day"));
        json.put("by_model", rows(byModel, "model"));
        json.put("by_session", rows(bySession, "session_id"));
        return json;
    }

    private static List<Map<String, Object>> rows(List<Row> rows, String keyName) {
        return rows.stream()
                .map(r -> {
                    Map<String, Object> json = new LinkedHashMap<>();
                    json.put(keyName, r.key());
                    json.putAll(r.totals().toJson());
                    return json;
                })
                .toList();
    }
}
