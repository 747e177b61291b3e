package dev.codelab.bench.load;

/**
 * One line of the bench table.
 *
 * @param scenario which scenario measured it
 * @param metric   what was measured
 * @param measured the value, with its unit
 * @param target   the target from docs/benchmarks.md, or "-" for context numbers
 * @param verdict  MET, MISSED, or "-" when there is no target
 */
record Result(String scenario, String metric, String measured, String target, String verdict) {

    static Result against(String scenario, String metric, String measured, String target, boolean met) {
        return new Result(scenario, metric, measured, target, met ? "MET" : "MISSED");
    }

    static Result info(String scenario, String metric, String measured) {
        return new Result(scenario, metric, measured, "-", "-");
    }
}
