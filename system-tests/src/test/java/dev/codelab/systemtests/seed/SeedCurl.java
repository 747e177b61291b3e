package dev.codelab.systemtests.seed;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Runs a {@code curl} command line exactly as the seed writes it, after putting this machine's addresses and keys
 * in place of the seed's host names and placeholders. Understands what the seed uses: {@code \}-continued lines,
 * single and double quotes, {@code -X}, {@code -H} and {@code -d} (several {@code -d} are joined with {@code &}
 * and make the request a form POST unless a header says otherwise, as curl does).
 */
final class SeedCurl {

    private final HttpClient http;
    private final Map<String, String> substitutions;

    /** @param substitutions seed text → what this machine uses instead (host URLs, token, internal key) */
    SeedCurl(HttpClient http, Map<String, String> substitutions) {
        this.http = http;
        this.substitutions = substitutions;
    }

    HttpResponse<String> run(String commandLine) throws IOException, InterruptedException {
        String command = commandLine;
        for (Map.Entry<String, String> substitution : substitutions.entrySet()) {
            command = command.replace(substitution.getKey(), substitution.getValue());
        }
        List<String> words = words(command.replace("\\\n", " "));
        if (!words.getFirst().equals("curl")) {
            throw new IllegalArgumentException("not a curl command: " + commandLine);
        }
        String method = null;
        String url = null;
        List<String> data = new ArrayList<>();
        HttpRequest.Builder request = HttpRequest.newBuilder();
        boolean contentType = false;
        for (int i = 1; i < words.size(); i++) {
            switch (words.get(i)) {
                case "-X" -> method = words.get(++i);
                case "-H" -> {
                    String[] header = words.get(++i).split(":\\s*", 2);
                    request.header(header[0], header[1]);
                    contentType |= header[0].equalsIgnoreCase("Content-Type");
                }
                case "-d" -> data.add(words.get(++i));
                default -> {
                    if (words.get(i).startsWith("-")) {
                        throw new IllegalArgumentException("option " + words.get(i) + " is not one the seed uses");
                    }
                    url = words.get(i);
                }
            }
        }
        if (!data.isEmpty() && !contentType) {
            request.header("Content-Type", "application/x-www-form-urlencoded");
        }
        HttpRequest.BodyPublisher body = data.isEmpty()
                ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(String.join("&", data));
        request.uri(URI.create(url)).method(method != null ? method : data.isEmpty() ? "GET" : "POST", body);
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Splits a shell command line into words: whitespace separates, quotes group (no variables in the seed). */
    private static List<String> words(String line) {
        List<String> words = new ArrayList<>();
        StringBuilder word = null;
        char quote = 0;
        for (char c : line.toCharArray()) {
            if (quote != 0) {
                if (c == quote) {
                    quote = 0;
                } else {
                    word.append(c);
                }
            } else if (c == '\'' || c == '"') {
                quote = c;
                word = word == null ? new StringBuilder() : word;
            } else if (Character.isWhitespace(c)) {
                if (word != null) {
                    words.add(word.toString());
                    word = null;
                }
            } else {
                word = word == null ? new StringBuilder() : word;
                word.append(c);
            }
        }
        if (quote != 0) {
            throw new IllegalArgumentException("unbalanced quote in: " + line);
        }
        if (word != null) {
            words.add(word.toString());
        }
        return words;
    }
}
