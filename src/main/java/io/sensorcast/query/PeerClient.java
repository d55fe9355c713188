package io.sensorcast.query;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Forwards a query to another instance's API with the JDK's HTTP client: every call carries a timeout, the rest of
 * the original request's time, so a slow or vanished instance costs no more than the caller may wait.
 */
public final class PeerClient {

    private final HttpClient http;

    public PeerClient(Duration connectTimeout) {
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(connectTimeout)
                .followRedirects(HttpClient.Redirect.NEVER).build();
    }

    /**
     * GET {@code http://server pathAndQuery} with {@code headers}, failing with an {@link java.io.IOException}
     * (a {@link java.net.http.HttpTimeoutException} when the deadline passes) if the instance does not answer in
     * time.
     *
     * @param deadlineNanos {@link System#nanoTime()} by which the answer must have arrived
     */
    public CompletableFuture<HttpResponse<byte[]>> get(String server, String pathAndQuery, Map<String, String> headers,
                                                       long deadlineNanos) {
        long remaining = Math.max(1, deadlineNanos - System.nanoTime());
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://" + server + pathAndQuery))
                .timeout(Duration.ofNanos(remaining)).header("Accept", "application/json").GET();
        headers.forEach(request::header);
        return http.sendAsync(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    /** {@code text} as one percent-encoded path segment or query value: everything but RFC 3986's unreserved. */
    public static String encode(String text) {
        StringBuilder out = new StringBuilder(text.length() + 16);
        for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
            char c = (char) (b & 0xff);
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || c == '-' || c == '.' || c == '_' || c == '~') {
                out.append(c);
            } else {
                out.append('%').append(Character.toUpperCase(Character.forDigit((b >> 4) & 0xf, 16)))
                        .append(Character.toUpperCase(Character.forDigit(b & 0xf, 16)));
            }
        }
        return out.toString();
    }
}
