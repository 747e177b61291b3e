package dev.codelab.systemtests.reliability;

import java.util.List;
import java.util.Random;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.LongStream;

/**
 * Seeded generator of hostile text: mutations of valid inputs (flipped, inserted, deleted, duplicated or cut
 * characters), random JSON values of every type, deep nesting and huge strings. The same seed gives the same
 * inputs, so a failure reproduces with {@code -Dcodelab.fuzz.seed=<seed>}.
 */
final class Mutator {

    private static final String ALPHABET = "{}[]\":,\\ \t\n0123456789-+.eEtrufalsn%&=abcxyz_/";
    private static final List<String> ODD = List.of(
            "\u0000",
            "\u001f",
            "\u00e9",
            "\u2028",
            "\ud83d\ude00",
            "\ufffd",
            "\\u0000",
            "\\ud800",
            "%00",
            "%zz",
            "%",
            "+",
            "&&",
            "==",
            "../",
            "null",
            "true",
            "[]",
            "{}",
            "\"\"",
            "1e999",
            "-0",
            "9".repeat(40));

    private final Random random;

    Mutator(long seed) {
        this.random = new Random(seed);
    }

    Random random() {
        return random;
    }

    int nextInt(int bound) {
        return random.nextInt(bound);
    }

    <T> T pick(List<T> items) {
        return items.get(random.nextInt(items.size()));
    }

    /** One to four random edits of {@code valid}. */
    String mutate(String valid) {
        StringBuilder text = new StringBuilder(valid);
        int edits = 1 + random.nextInt(4);
        for (int i = 0; i < edits; i++) {
            int at = text.isEmpty() ? 0 : random.nextInt(text.length());
            switch (random.nextInt(6)) {
                case 0 -> {
                    if (!text.isEmpty()) {
                        text.setCharAt(at, ALPHABET.charAt(random.nextInt(ALPHABET.length())));
                    }
                }
                case 1 -> text.insert(at, ALPHABET.charAt(random.nextInt(ALPHABET.length())));
                case 2 -> text.insert(at, pick(ODD));
                case 3 -> text.delete(at, Math.min(text.length(), at + 1 + random.nextInt(8)));
                case 4 -> text.insert(at, text.substring(at, Math.min(text.length(), at + 1 + random.nextInt(16))));
                default -> text.setLength(at);
            }
        }
        return text.toString();
    }

    /** A random JSON value (as text) of any type, nested at most {@code depth} levels. */
    String jsonValue(int depth) {
        int kind = random.nextInt(depth <= 0 ? 5 : 7);
        return switch (kind) {
            case 0 -> "null";
            case 1 -> String.valueOf(random.nextBoolean());
            case 2 ->
                random.nextBoolean() ? String.valueOf(random.nextLong()) : String.valueOf(random.nextDouble() * 1e6);
            case 3 -> quoted(word());
            case 4 -> quoted(pick(ODD).replace("\\", "\\\\").replace("\"", "\\\""));
            case 5 -> {
                StringBuilder array = new StringBuilder("[");
                for (int i = random.nextInt(4); i > 0; i--) {
                    array.append(jsonValue(depth - 1)).append(i > 1 ? "," : "");
                }
                yield array.append(']').toString();
            }
            default -> {
                StringBuilder object = new StringBuilder("{");
                for (int i = random.nextInt(4); i > 0; i--) {
                    object.append(quoted(word()))
                            .append(':')
                            .append(jsonValue(depth - 1))
                            .append(i > 1 ? "," : "");
                }
                yield object.append('}').toString();
            }
        };
    }

    /** {@code levels} nested arrays or objects around a value. */
    String deeplyNested(int levels) {
        boolean arrays = random.nextBoolean();
        return (arrays ? "[" : "{\"a\":").repeat(levels) + "1" + (arrays ? "]" : "}").repeat(levels);
    }

    /** A string of {@code length} random letters, JSON-quoted. */
    String hugeString(int length) {
        StringBuilder text = new StringBuilder(length + 2).append('"');
        for (int i = 0; i < length; i++) {
            text.append((char) ('a' + random.nextInt(26)));
        }
        return text.append('"').toString();
    }

    String word() {
        int length = random.nextInt(12);
        StringBuilder word = new StringBuilder();
        for (int i = 0; i < length; i++) {
            word.append(ALPHABET.charAt(random.nextInt(ALPHABET.length())));
        }
        return word.toString();
    }

    static String quoted(String text) {
        StringBuilder out = new StringBuilder("\"");
        for (char c : text.toCharArray()) {
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.append('"').toString();
    }

    /** The seed of this run: {@code -Dcodelab.fuzz.seed} to replay one, else a new one. */
    /** {@code -Dcodelab.fuzz.seed=S}: that seed alone; else {@code -Dcodelab.fuzz.runs} (default 1) fresh ones. */
    static LongStream seeds() {
        Long fixed = Long.getLong("codelab.fuzz.seed");
        if (fixed != null) {
            return LongStream.of(fixed);
        }
        return ThreadLocalRandom.current().longs(Integer.getInteger("codelab.fuzz.runs", 1), 1, 1_000_000_000_000L);
    }
}
