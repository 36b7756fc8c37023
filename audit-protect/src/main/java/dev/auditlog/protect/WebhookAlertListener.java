package dev.auditlog.protect;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * POSTs each alert as JSON to a URL with the JDK {@link HttpClient}, from its own thread (the rules thread only
 * queues it). Body: {@code {"log":..,"rule":..,"severity":..,"key":..,"sequences":[..],"summary":..,"firedAt":..}}.
 * A 2xx answer is a delivery; another status, a timeout or an I/O error is retried up to {@code maxAttempts} with
 * a fixed backoff; then the failure is counted and recorded in the log as {@code audit.alert.delivery_failed}
 * (error {@code http_<status>}, {@code timeout} or the exception's class name). A full queue counts and records
 * the alert as failed ({@code queue_full}). {@link #close()} (called when the log closes) waits for queued alerts.
 */
public final class WebhookAlertListener implements AlertListener, AutoCloseable {
    private final URI uri;
    private final Duration timeout;
    private final int maxAttempts;
    private final Duration backoff;
    private final Map<String, String> headers;
    private final HttpClient client;
    private final ThreadPoolExecutor worker;
    private final AtomicLong delivered = new AtomicLong();
    private final AtomicLong failures = new AtomicLong();
    private final AtomicLong attempts = new AtomicLong();

    private WebhookAlertListener(Builder b) {
        this.uri = b.uri;
        this.timeout = b.timeout;
        this.maxAttempts = b.maxAttempts;
        this.backoff = b.backoff;
        this.headers = Map.copyOf(b.headers);
        this.client = HttpClient.newBuilder().connectTimeout(timeout).build();
        this.worker = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS, new ArrayBlockingQueue<>(b.queueCapacity),
                r -> {
                    Thread t = new Thread(r, "auditlog-webhook");
                    t.setDaemon(true);
                    return t;
                });
    }

    /** A builder posting to {@code uri} (http or https). */
    public static Builder builder(URI uri) {
        return new Builder(uri);
    }

    @Override
    public void onAlert(Alert alert, AlertContext context) {
        try {
            worker.execute(() -> deliver(alert, context));
        } catch (RejectedExecutionException e) {
            failures.incrementAndGet();
            context.deliveryFailed(alert, toString(), 0, worker.isShutdown() ? "closed" : "queue_full");
        }
    }

    private void deliver(Alert alert, AlertContext context) {
        byte[] body = AlertJson.toJson(context.logId(), alert);
        String error = "none";
        for (int attempt = 1; attempt <= maxAttempts; attempt++) {
            attempts.incrementAndGet();
            try {
                HttpRequest.Builder rb = HttpRequest.newBuilder(uri).timeout(timeout)
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofByteArray(body));
                headers.forEach(rb::header);
                HttpResponse<Void> response = client.send(rb.build(), HttpResponse.BodyHandlers.discarding());
                if (response.statusCode() / 100 == 2) {
                    delivered.incrementAndGet();
                    return;
                }
                error = "http_" + response.statusCode();
            } catch (HttpTimeoutException e) {
                error = "timeout";
            } catch (IOException e) {
                error = e.getClass().getName();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                error = "interrupted";
                break;
            }
            if (attempt < maxAttempts && !backoff.isZero()) {
                try {
                    Thread.sleep(backoff.toMillis());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
        }
        failures.incrementAndGet();
        context.deliveryFailed(alert, toString(), maxAttempts, error);
    }

    /** Alerts delivered (2xx). */
    public long delivered() {
        return delivered.get();
    }

    /** Alerts that could not be delivered. */
    public long failures() {
        return failures.get();
    }

    /** HTTP attempts made. */
    public long attempts() {
        return attempts.get();
    }

    /** Stops accepting alerts and waits for the queued ones (at most queue × attempts × (timeout + backoff)). */
    @Override
    public void close() {
        worker.shutdown();
        try {
            long perAlert = maxAttempts * (timeout.toMillis() + backoff.toMillis()) + 1000;
            worker.awaitTermination(perAlert * (worker.getQueue().size() + 1), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public String toString() {
        return "webhook(" + uri.getScheme() + "://" + uri.getHost() + (uri.getPort() >= 0 ? ":" + uri.getPort() : "")
                + uri.getPath() + ")";
    }

    /** Builds a {@link WebhookAlertListener}; setters validate at once. */
    public static final class Builder {
        private final URI uri;
        private Duration timeout = Duration.ofSeconds(5);
        private int maxAttempts = 3;
        private Duration backoff = Duration.ofMillis(500);
        private int queueCapacity = 1000;
        private final Map<String, String> headers = new LinkedHashMap<>();

        private Builder(URI uri) {
            Objects.requireNonNull(uri, "uri");
            if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme())) {
                throw new IllegalArgumentException("webhook uri must be http or https, was scheme " + uri.getScheme());
            }
            this.uri = uri;
        }

        /** Connect and request timeout. Positive, default 5 s. */
        public Builder timeout(Duration timeout) {
            this.timeout = Rules.positive("webhook.timeout", timeout);
            return this;
        }

        /** Attempts per alert: 1–10, default 3. */
        public Builder maxAttempts(int maxAttempts) {
            this.maxAttempts = Rules.range("webhook.maxAttempts", maxAttempts, 1, 10);
            return this;
        }

        /** Wait between attempts: 0 to 1 minute, default 500 ms. */
        public Builder backoff(Duration backoff) {
            Objects.requireNonNull(backoff, "backoff");
            if (backoff.isNegative() || backoff.compareTo(Duration.ofMinutes(1)) > 0) {
                throw new IllegalArgumentException("webhook.backoff must be between 0 and 1 minute, was " + backoff);
            }
            this.backoff = backoff;
            return this;
        }

        /** Alerts queued at most: 1–100 000, default 1000. */
        public Builder queueCapacity(int capacity) {
            this.queueCapacity = Rules.range("webhook.queueCapacity", capacity, 1, 100_000);
            return this;
        }

        /** Adds a request header (e.g. an authorization token for the receiver). */
        public Builder header(String name, String value) {
            Objects.requireNonNull(name, "header name");
            Objects.requireNonNull(value, "header value");
            headers.put(name, value);
            return this;
        }

        /** The listener (its worker thread starts on the first alert). */
        public WebhookAlertListener build() {
            return new WebhookAlertListener(this);
        }
    }
}
