package cn.callbox.device.firmware;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;

import cn.callbox.protocol.config.HubCertificates;
import cn.callbox.protocol.firmware.FirmwarePackage;
import cn.callbox.protocol.lwm2m.FirmwareUpdateObject.Result;

/**
 * Downloads a firmware package over HTTP(S) (GET, redirects followed) into a file no larger than a package may be
 * ({@link #MAX_PACKAGE}) and with room left on the disk for its jar. It does not look inside the package: that is
 * {@link PackageVerifier}'s job. Logs nothing: each failure carries its Update Result and a message.
 *
 * <p>Threads: {@link #fetch} blocks the calling thread until the body is in the file; the body is written on the HTTP
 * client's threads. To cancel a download, interrupt the thread in {@link #fetch}. The HTTP client (and its selector
 * thread) is built at the first download. Thread-safe.
 */
final class FirmwareDownload {

    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);
    /** The largest package file: header limits plus the largest payload. */
    static final long MAX_PACKAGE = 4 + 1 + 4 + FirmwarePackage.MAX_MANIFEST + 2 + FirmwarePackage.MAX_SIGNATURE
            + FirmwarePackage.MAX_PAYLOAD;

    private final Duration timeout;
    private final List<X509Certificate> extraCas;
    private HttpClient http; // guarded by this

    /**
     * @param timeout the request's timeout ({@link HttpRequest.Builder#timeout}); a limit on the whole download is the
     *        caller's, who interrupts {@link #fetch}
     * @param extraCas trusted for HTTPS besides the system's CAs (a hub's self-signed certificate); may be empty
     */
    FirmwareDownload(Duration timeout, List<X509Certificate> extraCas) {
        this.timeout = timeout;
        this.extraCas = List.copyOf(extraCas);
    }

    /**
     * Parses a Package URI into one this class can download: hierarchical, http or https, with a host.
     *
     * @throws UpdateFailure invalid URI (7) or a scheme other than http/https (9); the message reads after "Firmware: "
     */
    static URI target(String text) throws UpdateFailure {
        URI target;
        try {
            target = new URI(text);
        } catch (URISyntaxException e) {
            throw new UpdateFailure(Result.INVALID_URI, "the Package URI is not a URI (" + e.getReason() + ")");
        }
        String scheme = target.getScheme() == null ? "" : target.getScheme().toLowerCase(Locale.ROOT);
        if (scheme.isEmpty() || target.isOpaque()) {
            throw new UpdateFailure(Result.INVALID_URI, "the Package URI has no scheme or is not hierarchical");
        }
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw new UpdateFailure(Result.UNSUPPORTED_PROTOCOL, "Package URI scheme " + scheme
                    + " is not supported (http or https only)");
        }
        if (target.getHost() == null) {
            throw new UpdateFailure(Result.INVALID_URI, "the Package URI names no host");
        }
        return target;
    }

    /**
     * Downloads {@code target} into {@code packageFile} (created or truncated; on a failure it may hold a part of the
     * body, which the caller deletes). The body goes straight to the file inside {@link HttpClient#send}, which an
     * interrupt (cancel, timeout) aborts: the JDK's response input stream would not notice one.
     *
     * @throws UpdateFailure HTTP error, I/O error or request timeout (4); too large (6); disk full (2) or file
     *         unwritable (8); a URI the HTTP client refuses (7)
     * @throws InterruptedException when the calling thread was interrupted: the download is dropped
     */
    void fetch(URI target, Path packageFile) throws UpdateFailure, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(target).timeout(timeout)
                .header("Accept", "application/octet-stream").GET().build();
        PackageFileSubscriber[] subscriber = new PackageFileSubscriber[1];
        HttpResponse<Path> response;
        try {
            response = client().send(request, info -> {
                if (info.statusCode() != 200) {
                    return HttpResponse.BodySubscribers.replacing(null);
                }
                OptionalLong length = info.headers().firstValueAsLong("Content-Length");
                subscriber[0] = new PackageFileSubscriber(packageFile, length.orElse(-1));
                return subscriber[0];
            });
        } catch (IOException e) {
            if (subscriber[0] != null && subscriber[0].failure != null) {
                throw subscriber[0].failure;
            }
            throw new UpdateFailure(Result.CONNECTION_LOST, "download from " + origin(target) + " failed: " + e);
        } catch (IllegalArgumentException e) {
            throw new UpdateFailure(Result.INVALID_URI, "the Package URI is not usable: " + e.getMessage());
        }
        if (response.statusCode() != 200) {
            throw new UpdateFailure(Result.CONNECTION_LOST, "HTTP " + response.statusCode() + " from "
                    + origin(target));
        }
        if (subscriber[0] != null && subscriber[0].failure != null) {
            throw subscriber[0].failure;
        }
    }

    /** Scheme, host and port only: the path may hold the hub's download token. */
    static String origin(URI target) {
        return target.getScheme() + "://" + target.getRawAuthority();
    }

    private synchronized HttpClient client() {
        if (http == null) {
            HttpClient.Builder builder = HttpClient.newBuilder().connectTimeout(CONNECT_TIMEOUT)
                    .followRedirects(HttpClient.Redirect.NORMAL);
            if (!extraCas.isEmpty()) {
                builder.sslContext(HubCertificates.trustingAlso(extraCas));
            }
            http = builder.build();
        }
        return http;
    }

    /**
     * Writes a response body to the package file: refuses more than {@link #MAX_PACKAGE} bytes (result 6) and tells a
     * full disk (2) from a broken download (4). Runs on the HTTP client's threads.
     */
    private static final class PackageFileSubscriber implements HttpResponse.BodySubscriber<Path> {

        private final Path file;
        private final long announced;
        private final CompletableFuture<Path> body = new CompletableFuture<>();
        private volatile UpdateFailure failure;
        private Flow.Subscription subscription;
        private FileChannel channel;
        private long written;

        PackageFileSubscriber(Path file, long announced) {
            this.file = file;
            this.announced = announced;
        }

        @Override
        public CompletionStage<Path> getBody() {
            return body;
        }

        @Override
        public void onSubscribe(Flow.Subscription given) {
            subscription = given;
            if (announced > MAX_PACKAGE) {
                abort(new UpdateFailure(Result.UNSUPPORTED_PACKAGE, "the package is " + announced
                        + " bytes, more than a firmware may be"));
                return;
            }
            try {
                if (announced > 0 && file.getParent().toFile().getUsableSpace() < announced * 2) {
                    abort(new UpdateFailure(Result.NOT_ENOUGH_STORAGE, "not enough free space for a package of "
                            + announced + " bytes and its jar"));
                    return;
                }
                channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                        StandardOpenOption.TRUNCATE_EXISTING);
            } catch (IOException e) {
                abort(UpdateFailure.storage(e, "cannot write " + file));
                return;
            }
            subscription.request(1);
        }

        @Override
        public void onNext(List<ByteBuffer> buffers) {
            if (failure != null) {
                return;
            }
            try {
                for (ByteBuffer buffer : buffers) {
                    written += buffer.remaining();
                    if (written > MAX_PACKAGE) {
                        abort(new UpdateFailure(Result.UNSUPPORTED_PACKAGE,
                                "the package is larger than a firmware may be"));
                        return;
                    }
                    while (buffer.hasRemaining()) {
                        channel.write(buffer);
                    }
                }
            } catch (IOException e) {
                abort(UpdateFailure.storage(e, "cannot write " + file));
                return;
            }
            subscription.request(1);
        }

        @Override
        public void onError(Throwable error) {
            closeChannel();
            body.completeExceptionally(error);
        }

        @Override
        public void onComplete() {
            if (channel != null) {
                try {
                    channel.close();
                } catch (IOException e) {
                    abort(UpdateFailure.storage(e, "cannot write " + file));
                    return;
                }
            }
            body.complete(file);
        }

        private void abort(UpdateFailure why) {
            failure = why;
            subscription.cancel();
            closeChannel();
            body.completeExceptionally(new IOException(why.getMessage()));
        }

        private void closeChannel() {
            if (channel != null) {
                try {
                    channel.close();
                } catch (IOException e) {
                    // the download has failed already
                }
            }
        }
    }
}
